#!/usr/bin/env python3
"""Memory under half-sent request bodies (no credentials needed).

Starts connectplane on loopback with the demo seed, opens --connections
connections (default 4,000) from --sources loopback addresses (127.0.1.x), and
on each sends `POST /healthz` with `Content-Length: 1048576` and half of that
body, then holds the connection. Meanwhile a signed DMS ShowInstance goes out
every --probe-interval seconds on a fresh connection from 127.0.0.1. The
server's RSS (VmRSS in /proc/<pid>/status) is sampled throughout: before, the
peak while the bodies are held, and after the attack's connections close.

Prints one table. Targets (checked unless --smoke): peak under 300 MB, back
under 60 MB within 5 s of the close, and every signed probe answered 200.

    python3 bench/slow_body_memory.py --bin build/src/main/connectplane
    python3 bench/slow_body_memory.py --bin OLD_BINARY --connections 1500   # compare

The attack is spread over several source addresses so that what is measured is
the request-body memory, not the per-address connection limit (use --sources 1
to see that limit instead). Needs a file-descriptor limit above the connection
count: the soft limit is raised to the hard limit for this tool and the server.
"""
import argparse
import os
import re
import resource
import selectors
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
import hwclient  # noqa: E402  (the stdlib-only Huawei signer used by the integration tests)

DEMO_INSTANCE = "a1b2c3d4-0000-1111-2222-333344445555"
BODY_LENGTH = 1024 * 1024
PEAK_TARGET_MB = 300
AFTER_TARGET_MB = 60
AFTER_WITHIN_S = 5


def raise_fd_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


class RssSampler(threading.Thread):
    def __init__(self, pid, interval=0.05):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.samples = []  # (monotonic time, MB)
        self.fds = []  # (monotonic time, open file descriptors), once a second
        self.stopped = threading.Event()

    def run(self):
        next_fd_count = 0.0
        while not self.stopped.is_set():
            try:
                now = time.monotonic()
                self.samples.append((now, rss_mb(self.pid)))
                if now >= next_fd_count:
                    self.fds.append((now, len(os.listdir(f"/proc/{self.pid}/fd"))))
                    next_fd_count = now + 1.0
            except (OSError, RuntimeError):
                return
            time.sleep(self.interval)

    def fds_at(self, when):
        values = [count for t, count in self.fds if t >= when]
        return values[0] if values else -1

    def peak(self, start, end):
        values = [mb for t, mb in self.samples if start <= t <= end]
        return max(values) if values else float("nan")

    def settled_below(self, start, limit):
        """Seconds after `start` from which every sample stayed under `limit`."""
        after = [(t, mb) for t, mb in self.samples if t >= start]
        if not after or after[-1][1] >= limit:
            return None
        last_above = max((t for t, mb in after if mb >= limit), default=start)
        return last_above - start

    def at(self, when):
        values = [mb for t, mb in self.samples if t >= when]
        return values[0] if values else float("nan")


class Prober(threading.Thread):
    """A signed ShowInstance on a fresh connection every `interval` seconds."""

    def __init__(self, port, interval):
        super().__init__(daemon=True)
        self.port, self.interval = port, interval
        self.results = []  # (monotonic time, status or error text, ms)
        self.stopped = threading.Event()

    def probe_once(self):
        client = hwclient.Client(self.port, timeout=10)
        started = time.monotonic()
        try:
            status, _ = client.call("GET", f"/v2/{hwclient.DEMO_PROJECT}/instances/{DEMO_INSTANCE}")
        except OSError as error:
            status = type(error).__name__
        finally:
            client.close()
        return started, status, (time.monotonic() - started) * 1000

    def run(self):
        while not self.stopped.is_set():
            self.results.append(self.probe_once())
            self.stopped.wait(self.interval)

    def summary(self, start, end):
        window = [r for r in self.results if start <= r[0] <= end]
        ok = [r for r in window if r[1] == 200]
        latencies = [r[2] for r in ok]
        return {
            "total": len(window),
            "ok": len(ok),
            "others": sorted({str(r[1]) for r in window if r[1] != 200}),
            "median_ms": statistics.median(latencies) if latencies else float("nan"),
            "max_ms": max(latencies) if latencies else float("nan"),
        }


def start_server(binary, workdir, max_connections, extra_args):
    argv = [binary, "serve", "--listen", "127.0.0.1:0", "--db", f"sqlite:{workdir}/bench.db",
            "--seed", os.path.join(ROOT, "examples", "demo-seed.json"), "--log-level", "warn",
            *extra_args]
    help_text = subprocess.run([binary, "serve", "--help"], capture_output=True, text=True).stdout
    if "--max-connections" in help_text:
        argv += ["--max-connections", str(max_connections)]
    stderr = open(os.path.join(workdir, "server.log"), "w")
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=stderr, text=True)
    line = proc.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:(\d+)", line)
    if not match:
        proc.kill()
        raise RuntimeError(f"server did not start: {line!r}")
    return proc, int(match.group(1))


def open_attack(port, connections, sources, body_bytes, deadline_s):
    """Opens the connections and pushes header + body_bytes of body on each,
    non-blocking: bytes the server does not read stay in the kernel's socket
    buffers, and this returns once everything is sent or nothing moves any more
    (the server applies back-pressure). Returns (sockets, bytes accepted)."""
    header = (f"POST /healthz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
              f"Content-Type: application/json\r\nContent-Length: {BODY_LENGTH}\r\n\r\n").encode()
    payload = header + b"x" * body_bytes
    selector = selectors.DefaultSelector()
    sockets, pending = [], {}
    refused = 0
    for conn_idx in range(connections):
        source = f"127.0.1.{1 + conn_idx % sources}"
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind((source, 0))
        try:
            sock.connect(("127.0.0.1", port))
        except OSError:
            refused += 1
            sock.close()
            continue
        sock.setblocking(False)
        sockets.append(sock)
        pending[sock] = memoryview(payload)
        selector.register(sock, selectors.EVENT_WRITE)
    connected_at = time.monotonic()
    accepted = 0
    stalled_since = time.monotonic()
    end = time.monotonic() + deadline_s
    while pending and time.monotonic() < end:
        events = selector.select(timeout=0.2)
        if not events and time.monotonic() - stalled_since > 1.0:
            break  # nothing can be written: the server is not reading
        for key, _ in events:
            sock = key.fileobj
            try:
                sent = sock.send(pending[sock])
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                selector.unregister(sock)
                del pending[sock]
                continue
            accepted += sent
            stalled_since = time.monotonic()
            pending[sock] = pending[sock][sent:]
            if not pending[sock]:
                selector.unregister(sock)
                del pending[sock]
    selector.close()
    return sockets, accepted, refused, len(header), connected_at


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=os.path.join(ROOT, "build", "src", "main", "connectplane"))
    parser.add_argument("--connections", type=int, default=4000)
    parser.add_argument("--sources", type=int, default=16,
                        help="loopback source addresses the attack is spread over")
    parser.add_argument("--body-bytes", type=int, default=BODY_LENGTH // 2,
                        help="bytes of the 1 MiB body each connection sends")
    parser.add_argument("--hold", type=float, default=8.0,
                        help="seconds the connections are held once opened; below the "
                             "server's 10 s limit on an unauthenticated connection's wait for "
                             "body memory, so that the attack still holds them all at the close")
    parser.add_argument("--after", type=float, default=10.0,
                        help="seconds RSS is watched after the close")
    parser.add_argument("--probe-interval", type=float, default=0.5)
    parser.add_argument("--server-arg", action="append", default=[],
                        help="extra argument for `connectplane serve` (repeatable)")
    parser.add_argument("--timeline", action="store_true",
                        help="also print RSS once a second from the attack's start")
    parser.add_argument("--smoke", action="store_true",
                        help="tiny run that checks the harness, never judges numbers")
    args = parser.parse_args()
    if args.smoke:
        args.connections, args.hold, args.after = min(args.connections, 64), 1.0, 1.0

    fd_limit = raise_fd_limit()
    if fd_limit < args.connections + 100:
        sys.exit(f"file-descriptor limit {fd_limit} is below {args.connections + 100}")
    workdir = tempfile.mkdtemp(prefix="slow-body-")
    server, port = start_server(args.bin, workdir, max_connections=2 * args.connections + 1024,
                                extra_args=args.server_arg)
    sampler = RssSampler(server.pid)
    prober = Prober(port, args.probe_interval)
    try:
        sampler.start()
        time.sleep(0.5)
        prober.start()
        time.sleep(1.0)
        baseline = sampler.at(time.monotonic() - 0.3)
        attack_start = time.monotonic()
        sockets, accepted, refused, header_bytes, connected = open_attack(
            port, args.connections, args.sources, args.body_bytes, deadline_s=args.hold)
        opened = time.monotonic()
        # Count connections the server has already closed (refused at accept).
        remaining = max(0.0, args.hold - (opened - attack_start))
        time.sleep(remaining)
        held = sum(1 for sock in sockets if not peer_closed(sock))
        closing = time.monotonic()
        for sock in sockets:
            sock.close()
        time.sleep(args.after)
        done = time.monotonic()
        prober.stopped.set()
        prober.join()
        sampler.stopped.set()
        sampler.join()
        after_close = {s: sampler.at(closing + s) for s in (1, 3, 5, args.after - 0.2)
                       if s < args.after}
        below = sampler.settled_below(closing, AFTER_TARGET_MB)
        peak = sampler.peak(attack_start, closing + 0.5)
        peak_after = sampler.peak(closing, done)
        during = prober.summary(attack_start, closing)
        after = prober.summary(closing, done)
    finally:
        server.kill()
        server.wait()
        shutil.rmtree(workdir, ignore_errors=True)

    body_total = accepted - header_bytes * len(sockets)
    rows = [
        ("binary", args.bin),
        ("attack", f"{args.connections} connections from {args.sources} addresses, "
                   f"{args.body_bytes} of {BODY_LENGTH} body bytes each"),
        ("connections refused at connect / open at close", f"{refused} / {held} of {len(sockets)}"),
        ("bytes the kernel accepted from the attack", f"{accepted / 2**20:,.0f} MiB "
                                                       f"(body {body_total / 2**20:,.0f} MiB)"),
        ("RSS before", f"{baseline:,.1f} MB"),
        ("RSS peak while held", f"{peak:,.1f} MB  (target < {PEAK_TARGET_MB})"),
    ]
    rows.append(("RSS peak after close", f"{peak_after:,.1f} MB"))
    for seconds, mb in after_close.items():
        rows.append((f"RSS {seconds:g} s after close", f"{mb:,.1f} MB"))
    rows.insert(3, ("seconds to connect / to push", f"{connected - attack_start:.1f} / "
                                                     f"{opened - connected:.1f}"))
    rows.append((f"under {AFTER_TARGET_MB} MB for good after",
                 f"{below:.1f} s" if below is not None else f"not within {args.after:g} s"))
    rows.append(("signed ShowInstance during attack",
                 f"{during['ok']}/{during['total']} x 200, median {during['median_ms']:.1f} ms, "
                 f"max {during['max_ms']:.1f} ms{' others ' + ','.join(during['others']) if during['others'] else ''}"))
    rows.append(("signed ShowInstance after close",
                 f"{after['ok']}/{after['total']} x 200"))
    if args.timeline:
        for second in range(int(done - attack_start) + 1):
            print(f"t={second:3d}s rss={sampler.at(attack_start + second):8.1f} MB "
                  f"fds={sampler.fds_at(attack_start + second):5d}"
                  f"{'  (closed)' if attack_start + second >= closing else ''}")
    width = max(len(name) for name, _ in rows)
    print(f"| {'measure'.ljust(width)} | value |")
    print(f"| {'-' * width} | --- |")
    for name, value in rows:
        print(f"| {name.ljust(width)} | {value} |")

    if args.smoke:
        if during["total"] == 0 or during["ok"] != during["total"]:
            sys.exit("smoke: signed probes failed during the attack")
        return
    failures = []
    if not max(peak, peak_after) < PEAK_TARGET_MB:
        failures.append(f"peak RSS {max(peak, peak_after):.0f} MB >= {PEAK_TARGET_MB} MB")
    if below is None or below > AFTER_WITHIN_S:
        failures.append(f"RSS not under {AFTER_TARGET_MB} MB within {AFTER_WITHIN_S} s of the close")
    if during["total"] == 0 or during["ok"] != during["total"]:
        failures.append(f"signed probes during the attack: {during['ok']}/{during['total']} ok")
    if failures:
        sys.exit("FAIL: " + "; ".join(failures))
    print("PASS")


def peer_closed(sock):
    """True when the server has closed this connection (EOF or reset pending)."""
    try:
        return sock.recv(1, socket.MSG_PEEK) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True


if __name__ == "__main__":
    main()
