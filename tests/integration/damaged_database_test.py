#!/usr/bin/env python3
"""A damaged SQLite file, end to end on the real binary: with garbage pages in
the middle of the file (not the first page, so SQLite still opens it) the
server used to start, answer /healthz and /_connectplane/health with ok, and
fail only the calls that touched the bad pages. Now the start-up integrity
check (PRAGMA quick_check, --integrity-check-seconds) refuses the file: the
process exits non-zero before listening, naming the file and what is wrong.
--integrity-check-seconds 0 skips the check (the old behaviour)."""
import argparse
import os
import random
import shutil
import subprocess
import sys
import time

import hwclient

PAGE_SIZE = 4096  # SQLite's default, which the store keeps


def seed(instances):
    return {"huawei": {
        "credentials": [{"access_key": hwclient.DEMO_AK, "secret_key": hwclient.DEMO_SK,
                         "project_id": hwclient.DEMO_PROJECT}],
        "kafka_instances": [{"project_id": hwclient.DEMO_PROJECT,
                             "instance_id": f"00000000-0000-4000-8000-{index:012d}",
                             "name": f"instance-{index}-" + "x" * 200}
                            for index in range(instances)]}}


def start(binary, directory, *extra):
    """Starts a server on the file; returns (exit code or None if it listens, stderr, seconds)."""
    started = time.monotonic()
    process = subprocess.Popen(
        [binary, "serve", "--listen", "127.0.0.1:0", "--db",
         "sqlite:" + os.path.join(directory, "state.db"), "--log-level", "warn", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    banner = process.stdout.readline()
    if "listening on" in banner:
        process.terminate()
        _, stderr = process.communicate(timeout=20)
        return None, stderr, time.monotonic() - started
    _, stderr = process.communicate(timeout=60)
    return process.returncode, stderr, time.monotonic() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    args = parser.parse_args()
    checks, failures = [], []

    def expect(what, ok, detail=""):
        print(f"{what}: {'ok' if ok else 'FAILED'} {detail}".rstrip())
        checks.append(what)
        if not ok:
            failures.append(what)

    server = hwclient.Server(args.binary, seed(1500)).start()
    server.stop()  # SIGTERM: the last connection checkpoints the WAL into the file
    path = os.path.join(server.dir, "state.db")
    pages = os.path.getsize(path) // PAGE_SIZE
    expect("the store made a file of many pages", pages > 100, f"({pages} pages)")

    code, stderr, _ = start(args.binary, server.dir)
    expect("the intact file starts", code is None, stderr.strip())

    # The probe's damage: 20 pages of garbage in the middle of the file.
    rng = random.Random(20261201)
    with open(path, "r+b") as db:
        db.seek((pages // 2) * PAGE_SIZE)
        db.write(bytes(rng.getrandbits(8) for _ in range(20 * PAGE_SIZE)))

    code, stderr, seconds = start(args.binary, server.dir)
    print(stderr.strip())
    expect("the damaged file is refused (exit code 1)", code == 1, f"(exit code {code})")
    expect("the refusal names the file", path in stderr)
    expect("the refusal gives the cause", "is damaged: PRAGMA quick_check: Page " in stderr)
    expect("the refusal comes at once", seconds < 10, f"({seconds:.2f} s)")

    code, stderr, _ = start(args.binary, server.dir, "--integrity-check-seconds", "0")
    expect("--integrity-check-seconds 0 starts on it anyway", code is None, stderr.strip())

    shutil.rmtree(server.dir, ignore_errors=True)
    print(f"{len(checks) - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
