#!/usr/bin/env python3
"""Deterministic A/B of two builds: instructions the server executes per request.

Wall-clock benchmarks on a shared 2-core host vary by 10-25 % from run to run
(nginx's own rate in bench/run.py moved 48k-62k req/s within an hour), too
much to tell a 3 % regression from noise. Instruction counts under callgrind
do not depend on the host's load, so this settles "did the request path get
slower?" where bench/compare.sh cannot.

    bench/instructions.py A_BUILD_DIR B_BUILD_DIR

Each build dir holds src/main/connectplane and bench/cpbench (see compare.sh).
Reads: a fresh server per request count, cost = (Ir(N2) - Ir(N1)) / (N2 - N1),
which cancels start-up and shutdown. Mutations (cpbench mutate, one client,
fixed duration): (Ir(run) - Ir(start and stop only)) / mutations completed;
that includes the job runner's work for each mutation. Needs valgrind.
"""
import argparse
import glob
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

PROJECT_INSTANCE_PATH = ("/v2/0123456789abcdef0123456789abcdef/instances/"
                         "00000000-0000-4000-8000-000000000000")


def run(argv):
    return subprocess.run(argv, check=True, capture_output=True, text=True).stdout


class Build:
    def __init__(self, directory, tmp):
        self.server = os.path.join(directory, "src/main/connectplane")
        self.cpbench = os.path.join(directory, "bench/cpbench")
        self.tmp = tmp
        self.profile = os.path.join(tmp, "callgrind.out")
        for tool in (self.server, self.cpbench):
            if not os.access(tool, os.X_OK):
                sys.exit(f"instructions: {tool} is missing")

    def seeded_db(self, instances, connects):
        db = os.path.join(self.tmp, "bench.db")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.remove(db + suffix)
        run([self.cpbench, "seed", "--db", db, "--instances", str(instances),
             "--connects", str(connects)])
        return db

    def start(self, db, extra=()):
        proc = subprocess.Popen(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={self.profile}",
             self.server, "serve", "--listen", "127.0.0.1:0", "--db", f"sqlite:{db}",
             "--threads", "1", "--log-level", "warn", "--job-seconds", "0", *extra],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        match = re.search(r"127\.0\.0\.1:(\d+)", proc.stdout.readline())
        if not match:
            proc.kill()
            sys.exit("instructions: the server did not start under valgrind")
        return proc, int(match.group(1))

    def stop(self, proc):
        """Stops the server; returns the instructions it executed (all threads)."""
        proc.send_signal(signal.SIGTERM)
        proc.wait()
        total = 0
        for path in glob.glob(self.profile + "*"):
            with open(path) as f:
                for line in f:
                    if line.startswith(("totals:", "summary:")):
                        total += int(line.split()[1])
                        break
            os.remove(path)
        return total

    def sign(self, port, dialect, **fields):
        out = os.path.join(self.tmp, "requests.txt")
        argv = [self.cpbench, "sign", "--dialect", dialect, "--host", f"127.0.0.1:{port}",
                "--out", out, "--count", "600"]
        for key, value in fields.items():
            argv += [f"--{key}", value]
        run(argv)
        return out


def send(port, requests_file, count):
    """Sends count pre-signed requests (cpbench sign format) on one connection."""
    with open(requests_file) as f:
        lines = f.read().splitlines()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    for i in range(count):
        fields = lines[i % len(lines)].split("\t")
        headers = dict(h.split(": ", 1) for h in fields[3:])
        headers["Host"] = f"127.0.0.1:{port}"
        conn.request(fields[0], fields[1], body=fields[2] or None, headers=headers)
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            sys.exit(f"instructions: request answered {response.status}: {body[:300]!r}")


READS = {
    "ShowInstance (Huawei)": ("huawei", {"path": PROJECT_INSTANCE_PATH}),
    "DescribePrivateConnects 50 (Zenlayer)":
        ("zenlayer", {"action": "DescribePrivateConnects", "body": '{"pageSize":50,"pageNum":1}'}),
}


def read_cost(build, name, small, large):
    dialect, fields = READS[name]
    totals = []
    for count in (small, large):
        proc, port = build.start(build.seeded_db(16, 200))
        send(port, build.sign(port, dialect, **fields), count)
        totals.append(build.stop(proc))
    return (totals[1] - totals[0]) / (large - small)


def mutation_cost(build, dialect, inline, seconds):
    extra = ("--group-commit", "on") + (("--instant-jobs", "inline") if inline else ())
    proc, _ = build.start(build.seeded_db(1, 0), extra)
    idle = build.stop(proc)
    proc, port = build.start(build.seeded_db(1, 0), extra)
    out = run([build.cpbench, "mutate", "--port", str(port), "--dialect", dialect,
               "--clients", "1", "--seconds", str(seconds)])
    mutations = json.loads(out.strip().splitlines()[-1])["mutations"]
    time.sleep(2)  # the job runner finishes the jobs of the last mutations
    return (build.stop(proc) - idle) / mutations


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a")
    parser.add_argument("b")
    parser.add_argument("--requests", type=int, default=1000,
                        help="difference between the two read request counts")
    parser.add_argument("--seconds", type=int, default=6, help="length of each mutation run")
    args = parser.parse_args()
    if not shutil.which("valgrind"):
        sys.exit("instructions: valgrind is not installed (apt-get install valgrind)")
    tmp = tempfile.mkdtemp(prefix="cp-instructions-")
    try:
        builds = {"A": Build(args.a, tmp), "B": Build(args.b, tmp)}
        rows = []
        for name in READS:
            costs = {side: read_cost(b, name, 100, 100 + args.requests) for side, b in builds.items()}
            rows.append((name, costs))
        for dialect in ("huawei", "zenlayer"):
            for inline in (False, True):
                label = f"mutation {dialect}, {'inline job' if inline else 'job runner'}"
                costs = {side: mutation_cost(b, dialect, inline, args.seconds)
                         for side, b in builds.items()}
                rows.append((label, costs))
        print(f"{'scenario':40} {'A instr/req':>12} {'B instr/req':>12} {'B/A':>6}")
        for label, costs in rows:
            print(f"{label:40} {costs['A']:12,.0f} {costs['B']:12,.0f} "
                  f"{costs['B'] / costs['A']:6.3f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
