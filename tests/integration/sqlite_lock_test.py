#!/usr/bin/env python3
"""--sqlite-lock, end to end on the real binary: by default (exclusive) one
process owns the SQLite file, so a second server or the sqlite3 shell is
refused at once with a clear error, and a kill -9 frees the file for the next
start; with --sqlite-lock shared several processes open it together."""
import argparse
import os
import sqlite3
import subprocess
import sys
import time

import hwclient

SEED = {"huawei": {"credentials": [{"access_key": hwclient.DEMO_AK,
                                    "secret_key": hwclient.DEMO_SK,
                                    "project_id": hwclient.DEMO_PROJECT}]}}


def second_server(binary, directory, *extra):
    """Starts another server on the same file; returns (exit code or None, stderr, seconds)."""
    started = time.monotonic()
    process = subprocess.Popen(
        [binary, "serve", "--listen", "127.0.0.1:0", "--db",
         "sqlite:" + os.path.join(directory, "state.db"), "--log-level", "warn", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    banner = process.stdout.readline()
    if "listening on" in banner:
        process.terminate()
        process.wait(timeout=20)
        return None, "", time.monotonic() - started
    _, stderr = process.communicate(timeout=30)
    return process.returncode, stderr, time.monotonic() - started


def shell_can_read(directory):
    try:
        with sqlite3.connect(os.path.join(directory, "state.db"), timeout=0.2) as db:
            db.execute("SELECT count(*) FROM schema_version").fetchone()
        return True
    except sqlite3.OperationalError as error:
        print(f"sqlite3 shell: {error}")
        return False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    args = parser.parse_args()
    checks, failures = [], []

    def expect(what, ok):
        print(f"{what}: {'ok' if ok else 'FAILED'}")
        checks.append(what)
        if not ok:
            failures.append(what)

    owner = hwclient.Server(args.binary, SEED).start()
    code, stderr, seconds = second_server(args.binary, owner.dir)
    expect("a second server on the file is refused", code not in (None, 0))
    expect("the refusal says the file is in use", "in use by another process" in stderr)
    expect("the refusal is immediate (no busy wait)", seconds < 4.5)
    expect("the sqlite3 shell cannot open the file", not shell_can_read(owner.dir))
    client = hwclient.Client(owner.port)
    status, _ = client.call("GET", f"/v2/{hwclient.DEMO_PROJECT}/instances")
    client.close()
    expect("the owner still serves", status == 200)

    owner.kill()  # kill -9: the OS drops the process's lock
    restarted = hwclient.Server(args.binary, SEED, directory=owner.dir).start()
    expect("a server starts on the file after a kill -9", restarted.port is not None)
    restarted.stop()

    shared = hwclient.Server(args.binary, SEED, directory=owner.dir,
                             extra_args=("--sqlite-lock", "shared")).start()
    expect("--sqlite-lock shared: the sqlite3 shell reads meanwhile", shell_can_read(owner.dir))
    code, stderr, _ = second_server(args.binary, owner.dir, "--sqlite-lock", "shared")
    expect("--sqlite-lock shared: a second shared server starts", code is None)
    shared.stop()

    print(f"{len(checks) - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
