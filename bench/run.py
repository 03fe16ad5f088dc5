#!/usr/bin/env python3
"""Macro benchmarks, driven by bench/run.sh (which builds first).

Starts connectplane on loopback, drives it with wrk (pre-signed requests, see
wrk_requests.lua) and cpbench, compares with nginx serving a static JSON of the
same size and with a raw SQLite insert+fsync loop, and prints one table with
the median of --runs runs. --smoke: tiny sizes and durations, one run; numbers
are printed but never judged (the harness itself must work).
"""
import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import http.client

HERE = os.path.dirname(os.path.abspath(__file__))


def log(message):
    print(f"bench: {message}", file=sys.stderr, flush=True)


class Harness:
    def __init__(self, args):
        self.args = args
        self.bin = args.bin
        self.cpbench = args.cpbench
        self.tmp = tempfile.mkdtemp(prefix="cpbench-")
        os.chmod(self.tmp, 0o755)  # nginx workers (nobody) read the static files
        self.procs = []
        self.rows = []

    # ------------------------------------------------------------ processes
    def run(self, argv, **kwargs):
        result = subprocess.run(argv, capture_output=True, text=True, **kwargs)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} failed ({result.returncode}): "
                           f"{result.stderr[-2000:]}{result.stdout[-2000:]}")
        return result.stdout

    def cpbench_json(self, *argv):
        out = self.run([self.cpbench, *argv])
        return json.loads(out.strip().splitlines()[-1])

    def start_server(self, db, threads=2, extra=()):
        argv = [self.bin, "serve", "--listen", "127.0.0.1:0", "--db", f"sqlite:{db}",
                "--threads", str(threads), "--log-level", "warn", "--job-seconds", "0", *extra]
        started = time.monotonic()
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = proc.stdout.readline()
        startup_ms = (time.monotonic() - started) * 1000
        match = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        if not match:
            proc.kill()
            raise RuntimeError(f"server did not start: {line!r}")
        self.procs.append(proc)
        return proc, int(match.group(1)), startup_ms

    def stop(self, proc):
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        self.procs.remove(proc)

    def cleanup(self):
        for proc in list(self.procs):
            proc.kill()
            proc.wait()
        shutil.rmtree(self.tmp, ignore_errors=True)

    # ------------------------------------------------------------ wrk
    def sign(self, port, dialect, name, **fields):
        out = os.path.join(self.tmp, f"{name}.req")
        argv = [self.cpbench, "sign", "--dialect", dialect, "--host", f"127.0.0.1:{port}",
                "--out", out, "--count", "600"]
        for key, value in fields.items():
            argv += [f"--{key}", value]
        self.run(argv)
        return out

    def wrk(self, port, requests_file, connections=32, threads=2, duration=None, delay_ms=0):
        duration = duration or self.args.duration
        env = dict(os.environ, CPBENCH_REQUESTS=requests_file, CPBENCH_DELAY_MS=str(delay_ms))
        out = self.run(["wrk", f"-t{min(threads, connections)}", f"-c{connections}",
                        f"-d{duration:g}s", "-s", os.path.join(HERE, "wrk_requests.lua"),
                        f"http://127.0.0.1:{port}/"], env=env)
        line = next(l for l in out.splitlines() if l.startswith("CPBENCH "))
        result = json.loads(line[len("CPBENCH "):])
        if result["socket_errors"] or result["status_errors"]:
            raise RuntimeError(f"wrk saw errors: {result}")
        result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
        return result

    def wrk_at_rate(self, port, requests_file, target_rps):
        """Measures latency with paced connections (1 ms between a response and the
        next request) at about target_rps: a connection's rate depends on its
        latency, so the connection count is calibrated in short runs first."""
        connections = max(1, round(target_rps / 800))
        calibration = min(3.0, self.args.duration)
        for _ in range(1 if self.args.smoke else 4):
            trial = self.wrk(port, requests_file, connections=connections, delay_ms=1,
                             duration=calibration)
            if abs(trial["rps"] - target_rps) <= 0.1 * target_rps:
                break
            connections = max(1, round(connections * target_rps / max(trial["rps"], 1)))
        return self.wrk(port, requests_file, connections=connections, delay_ms=1)

    def wrk_median(self, port, requests_file, **kwargs):
        return self.median_of([self.wrk(port, requests_file, **kwargs)
                               for _ in range(self.args.runs)])

    @staticmethod
    def median_of(runs):
        return {key: statistics.median(r[key] for r in runs) for key in ("rps", "p50_us", "p99_us")}

    def fetch(self, port, requests_file):
        """Sends the first pre-signed request once; returns (status, body)."""
        with open(requests_file) as f:
            fields = f.readline().rstrip("\n").split("\t")
        headers = dict(h.split(": ", 1) for h in fields[3:])
        headers["Host"] = f"127.0.0.1:{port}"
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request(fields[0], fields[1], body=fields[2] or None, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()

    # ------------------------------------------------------------ nginx
    def start_nginx(self, files):
        root = os.path.join(self.tmp, "nginx")
        os.makedirs(os.path.join(root, "html"), exist_ok=True)
        os.chmod(root, 0o755)
        for name, body in files.items():
            path = os.path.join(root, "html", name)
            with open(path, "wb") as f:
                f.write(body)
            os.chmod(path, 0o644)
        port = self.free_port()
        conf = os.path.join(root, "nginx.conf")
        with open(conf, "w") as f:
            f.write(f"""worker_processes 2;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path {root}/body; proxy_temp_path {root}/proxy;
  fastcgi_temp_path {root}/fastcgi; uwsgi_temp_path {root}/uwsgi; scgi_temp_path {root}/scgi;
  types {{ application/json json; }}
  server {{
    listen 127.0.0.1:{port};
    root {root}/html;
  }}
}}
""")
        proc = subprocess.Popen(["nginx", "-p", root, "-e", f"{root}/error.log", "-c", conf,
                                 "-g", "daemon off;"], stderr=subprocess.DEVNULL)
        self.procs.append(proc)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
                conn.request("GET", "/" + next(iter(files)))
                if conn.getresponse().status == 200:
                    return proc, port
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("nginx did not start")

    @staticmethod
    def free_port():
        import socket
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]

    def static_requests(self, name, path):
        out = os.path.join(self.tmp, f"{name}.req")
        with open(out, "w") as f:
            f.write(f"GET\t{path}\t\n")
        return out

    # ------------------------------------------------------------ table
    def row(self, scenario, metric, ours, baseline=None, target=None, ratio_target=None,
            lower_is_better=False, unit=""):
        ratio = ours / baseline if baseline else None
        met = None
        if ratio_target is not None and ratio is not None:
            met = ratio >= ratio_target
        elif target is not None:
            met = ours <= target if lower_is_better else ours >= target
        target_text = ""
        if ratio_target is not None:
            target_text = f"ratio >= {ratio_target:g}"
        elif target is not None:
            target_text = f"{'<' if lower_is_better else '>='} {target:g}{unit}"
        self.rows.append({
            "scenario": scenario, "metric": metric, "ours": ours, "baseline": baseline,
            "ratio": ratio, "target": target_text, "met": met, "unit": unit})

    def print_table(self):
        def fmt(value, unit=""):
            if value is None:
                return "-"
            if isinstance(value, float) and value < 10:
                return f"{value:.2f}{unit}"
            return f"{value:,.0f}{unit}"
        print("| scenario | metric | ours | baseline | ratio | target | met? |")
        print("|---|---|---|---|---|---|---|")
        for r in self.rows:
            met = "-" if r["met"] is None else ("yes" if r["met"] else "**no**")
            ratio = "-" if r["ratio"] is None else f"{r['ratio']:.2f}"
            print(f"| {r['scenario']} | {r['metric']} | {fmt(r['ours'], r['unit'])} | "
                  f"{fmt(r['baseline'], r['unit'])} | {ratio} | {r['target']} | {met} |")

    # ------------------------------------------------------------ scenarios
    def signed_reads(self):
        db = os.path.join(self.tmp, "read.db")
        self.cpbench_json("seed", "--db", db, "--instances", "16",
                          "--connects", str(self.args.read_connects))
        server, port, _ = self.start_server(db, threads=2)
        show = self.sign(port, "huawei", "show",
                         path="/v2/0123456789abcdef0123456789abcdef/instances/"
                              "00000000-0000-4000-8000-000000000000")
        describe = self.sign(port, "zenlayer", "describe", action="DescribePrivateConnects",
                             body='{"pageSize":50,"pageNum":1}')
        bodies = {}
        for name, requests_file in (("show.json", show), ("describe.json", describe)):
            status, body = self.fetch(port, requests_file)
            if status != 200:
                raise RuntimeError(f"signed {name} answered {status}: {body[:300]!r}")
            bodies[name] = body
        # nginx serves the same bytes; its runs alternate with ours (ours, nginx,
        # ours, ...) so that drift in this shared host's speed during the
        # scenario hits both sides of the ratio alike.
        nginx, nginx_port = self.start_nginx(bodies)
        ours, theirs = {}, {}
        for name, requests_file, path in (("show", show, "/show.json"),
                                          ("describe", describe, "/describe.json")):
            static = self.static_requests(f"n-{name}", path)
            ours_runs, their_runs = [], []
            for _ in range(self.args.runs):
                ours_runs.append(self.wrk(port, requests_file))
                their_runs.append(self.wrk(nginx_port, static))
            ours[name] = self.median_of(ours_runs)
            theirs[name] = self.median_of(their_runs)
        self.stop(nginx)
        # p99 at about half of peak: paced connections (wrk has no rate option),
        # their number calibrated in short runs until the achieved rate is
        # within 10 % of half the peak.
        half = {}
        for name, requests_file in (("show", show), ("describe", describe)):
            half[name] = self.wrk_at_rate(port, requests_file, ours[name]["rps"] / 2)
        self.stop(server)
        for name, label in (("show", "ShowInstance (Huawei, signed)"),
                            ("describe", "DescribePrivateConnects 50 (Zenlayer, signed)")):
            size = len(bodies[f"{name}.json"])
            self.row(f"1-2 {label}", f"requests/s vs nginx static {size} B", ours[name]["rps"],
                     theirs[name]["rps"], ratio_target=0.6)
            self.row(f"1 {label}", "p50 latency at peak", ours[name]["p50_us"] / 1000,
                     theirs[name]["p50_us"] / 1000, unit=" ms")
            self.row(f"1 {label}", "p99 latency at peak", ours[name]["p99_us"] / 1000,
                     theirs[name]["p99_us"] / 1000, unit=" ms")
            self.row(f"1 {label}", f"p99 at ~half peak ({half[name]['rps']:,.0f} req/s)",
                     half[name]["p99_us"] / 1000, target=2, lower_is_better=True, unit=" ms")

    def mutations(self):
        # Throughput depends on how many writers share a commit (more is better
        # when fsync is slow) and on how much CPU their polling takes (fewer is
        # better on 2 shared CPUs), so client counts are swept and the best
        # median is reported with its count.
        client_counts = [int(c) for c in str(self.args.clients).split(",")]
        results = {}
        # Modes: group commit on / off with the background runner finishing each
        # instant job (3 commits per mutation: request, claim, completion), and
        # "inline": group commit with --instant-jobs inline (1 commit).
        for dialect in ("huawei", "zenlayer"):
            for mode in ("on", "off", "inline"):
                if mode == "off" and self.args.smoke:
                    continue
                for clients in client_counts:
                    runs = []
                    for _ in range(self.args.runs):
                        db = os.path.join(self.tmp, f"mut-{dialect}-{mode}.db")
                        for suffix in ("", "-wal", "-shm"):
                            if os.path.exists(db + suffix):
                                os.remove(db + suffix)
                        self.cpbench_json("seed", "--db", db, "--instances", str(clients),
                                          "--connects", "0")
                        extra = (("--group-commit", "on", "--instant-jobs", "inline")
                                 if mode == "inline" else ("--group-commit", mode))
                        server, port, _ = self.start_server(db, threads=clients, extra=extra)
                        runs.append(self.cpbench_json("mutate", "--port", str(port), "--dialect",
                                                      dialect, "--clients", str(clients),
                                                      "--seconds", str(self.args.duration)))
                        self.stop(server)
                    rate = statistics.median(r["per_second"] for r in runs)
                    log(f"mutations {dialect} group-commit={mode} clients={clients}: {rate:,.0f}/s")
                    if rate > results.get((dialect, mode), (0, 0))[0]:
                        results[(dialect, mode)] = (rate, clients)
        rows = int(max(200, min(4000, results[("huawei", "on")][0] * 2)))
        baseline = statistics.median(
            self.cpbench_json("sqlite-baseline", "--path", os.path.join(self.tmp, "raw.db"),
                              "--rows", str(rows))["per_second"] for _ in range(self.args.runs))
        for dialect, label in (("huawei", "enable+disable Smart Connect"),
                               ("zenlayer", "create+delete+destroy private connect")):
            rate, clients = results[(dialect, "on")]
            self.row(f"3 {label}, group commit",
                     f"durable mutations/s vs SQLite 1 row/commit ({clients} clients)",
                     rate, baseline, ratio_target=3)
            if (dialect, "off") in results:
                rate, clients = results[(dialect, "off")]
                self.row(f"3 {label}, one commit per write",
                         f"durable mutations/s ({clients} clients)", rate, baseline)
            rate, clients = results[(dialect, "inline")]
            self.row(f"3 {label}, group commit, --instant-jobs inline",
                     f"durable mutations/s vs SQLite 1 row/commit ({clients} clients)",
                     rate, baseline, ratio_target=3)

    def jobs(self):
        runs = [self.cpbench_json("jobs", "--path", os.path.join(self.tmp, "jobs.db"),
                                  "--jobs", str(self.args.jobs)) for _ in range(self.args.runs)]
        self.row(f"4 job engine, {self.args.jobs:,} queued instant jobs", "jobs/s (drain)",
                 statistics.median(r["per_second"] for r in runs))

    def scale(self):
        db = os.path.join(self.tmp, "scale.db")
        seeded = self.cpbench_json("seed", "--db", db, "--instances", "16",
                                   "--connects", str(self.args.scale_connects))
        log(f"seeded {self.args.scale_connects:,} connects in {seeded['seconds']:.1f} s")
        # The server's own start-up work, then with the default start-up
        # integrity check (PRAGMA quick_check reads the whole file).
        starts, checked_starts = [], []
        for _ in range(max(3, self.args.runs)):
            server, port, startup_ms = self.start_server(
                db, extra=("--integrity-check-seconds", "0"))
            starts.append(startup_ms)
            self.stop(server)
            server, port, startup_ms = self.start_server(db)
            checked_starts.append(startup_ms)
            self.stop(server)
        server, port, _ = self.start_server(db)
        by_id = self.sign(port, "zenlayer", "by-id", action="DescribePrivateConnects",
                          body='{"privateConnectIds":["%d"]}' % (100000000000000000 + 12345 %
                                                                 self.args.scale_connects))
        filtered = self.sign(port, "zenlayer", "filtered", action="DescribePrivateConnects",
                             body='{"privateConnectStatus":"RECYCLED","pageSize":50,"pageNum":3}')
        for requests_file in (by_id, filtered):
            status, body = self.fetch(port, requests_file)
            if status != 200 or b'"dataSet":[{' not in body:
                raise RuntimeError(f"scale query answered {status}: {body[:300]!r}")
        results = {name: self.wrk_median(port, f, connections=4)
                   for name, f in (("by id", by_id), ("filtered", filtered))}
        with open(f"/proc/{server.pid}/status") as f:
            status_text = f.read()
        rss_mb = int(re.search(r"VmRSS:\s+(\d+)", status_text).group(1)) / 1024
        hwm_mb = int(re.search(r"VmHWM:\s+(\d+)", status_text).group(1)) / 1024
        self.stop(server)
        n = f"{self.args.scale_connects:,} connects"
        for name, label in (("by id", "Describe by id"),
                            ("filtered", "Describe status=RECYCLED page 3 of 50")):
            self.row(f"5 {n}: {label}", f"p99 (4 conns, {results[name]['rps']:,.0f} req/s)",
                     results[name]["p99_us"] / 1000, target=2, lower_is_better=True, unit=" ms")
        self.row(f"5 {n}", "server RSS after the runs", rss_mb, target=200,
                 lower_is_better=True, unit=" MB")
        self.row(f"5 {n}", "server peak RSS (VmHWM)", hwm_mb, target=200,
                 lower_is_better=True, unit=" MB")
        self.row(f"5 {n}", "server start, no integrity check (exec to listening, median)",
                 statistics.median(starts), target=100, lower_is_better=True, unit=" ms")
        self.row(f"5 {n}", "server start with the integrity check (default, median)",
                 statistics.median(checked_starts), unit=" ms")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--cpbench", required=True)
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--clients", default="8,32",
                        help="mutation clients; a comma list is swept and the best reported")
    parser.add_argument("--jobs", type=int, default=100000)
    parser.add_argument("--read-connects", type=int, default=1000)
    parser.add_argument("--scale-connects", type=int, default=1000000)
    parser.add_argument("--only", default="reads,mutations,jobs,scale")
    args = parser.parse_args()
    if args.smoke:
        args.runs, args.duration, args.clients = 1, 1, 4
        args.jobs, args.read_connects, args.scale_connects = 2000, 200, 20000
    harness = Harness(args)
    try:
        with open("/proc/loadavg") as f:
            load = f.read().split()[:3]
        print(f"connectplane bench ({'smoke' if args.smoke else 'full'}): median of {args.runs} "
              f"run(s), {args.duration:g} s each; {os.cpu_count()} CPUs; load average "
              f"{' '.join(load)} at start")
        only = args.only.split(",")
        for name in ("reads", "mutations", "jobs", "scale"):
            if name in only:
                log(f"scenario {name}")
                getattr(harness, {"reads": "signed_reads"}.get(name, name))()
        harness.print_table()
        with open("/proc/loadavg") as f:
            print(f"load average at end: {' '.join(f.read().split()[:3])}")
    finally:
        harness.cleanup()


if __name__ == "__main__":
    main()
