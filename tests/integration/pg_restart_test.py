#!/usr/bin/env python3
"""connectplane across a PostgreSQL restart.

Two replicas share one database. A client keeps enabling Smart Connect on
fresh instances (one request at a time, recording every acknowledged job)
while PostgreSQL is stopped (immediate: crash-like) and started again.
During the outage the servers stay up and answer signed requests with a clean
503 {"error_code":"DMS.00500000",...}; afterwards they serve again without a
restart, every acknowledged job is present and completes, and a job that was
pending when the database went down completes too.
Needs CONNECTPLANE_TEST_POSTGRES_DSN and CONNECTPLANE_TEST_POSTGRES_CTL
(scripts/with-postgres.sh sets both).
"""
import os
import shutil
import subprocess
import sys
import threading
import time

import cp_harness as cp

INSTANCES = 200
OUTAGE_SECONDS = 3


def main():
    checks = cp.Checks("pg-restart")
    ctl = os.environ.get("CONNECTPLANE_TEST_POSTGRES_CTL")
    if not ctl:
        sys.exit("CONNECTPLANE_TEST_POSTGRES_CTL is not set; run under scripts/with-postgres.sh")
    binary = cp.binary_path()
    db = cp.fresh_database("pg_restart")
    work = cp.temp_dir("pg-restart")
    seed = f"{work}/seed.json"
    cp.write_seed(seed, INSTANCES)
    replicas = []
    database_down = False
    try:
        replicas = [cp.Replica(binary, db, seed, work, f"replica{idx}", job_seconds="1")
                    for idx in range(2)]

        # A job acknowledged just before the outage, due during it.
        pending = replicas[0].enable(cp.instance_id(0))
        checks.check(pending.status == 200, f"enable before the outage accepted ({pending.status})")

        acknowledged = {}  # instance -> job id
        refused = []  # (instance, response)
        stop = threading.Event()
        restarted = threading.Event()
        after_restart = [0]
        next_instance = [1]

        def client():
            while not stop.is_set() and next_instance[0] < INSTANCES:
                idx = next_instance[0]
                next_instance[0] += 1
                replica = replicas[idx % 2]
                try:
                    answer = replica.enable(cp.instance_id(idx))
                except OSError as error:  # the server must stay up: count as failure
                    refused.append((idx, cp.Response(0, repr(error))))
                    continue
                if answer.status == 200:
                    acknowledged[cp.instance_id(idx)] = answer.json["job_id"]
                    if restarted.is_set():
                        after_restart[0] += 1
                    time.sleep(0.05)
                else:
                    refused.append((idx, answer))
                    time.sleep(0.15)

        worker = threading.Thread(target=client)
        worker.start()
        time.sleep(0.5)
        subprocess.run([ctl, "stop"], check=True)
        database_down = True
        stopped_at = time.monotonic()
        print("PostgreSQL stopped", flush=True)

        # During the outage: clean 503s in the DMS error shape, fast, server up.
        time.sleep(0.3)
        outage = [replicas[idx % 2].instance(cp.instance_id(0)) for idx in range(4)]
        checks.check(all(r.status == 503 and r.json and r.json.get("error_code") == "DMS.00500000"
                         and "request_id" in r.json for r in outage),
                     f"reads during the outage: 503 DMS.00500000 ({outage[0]})")
        health = replicas[1].request("GET", "/healthz", signed=False)
        checks.check(health.status == 200, "servers stay up during the outage (/healthz 200)")
        time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - stopped_at)))
        subprocess.run([ctl, "start"], check=True)
        database_down = False
        restarted.set()
        print(f"PostgreSQL started again after {time.monotonic() - stopped_at:.1f}s", flush=True)

        # Service resumes on its own (no replica restart).
        resumed = cp.wait_until(
            lambda: all(r.instance(cp.instance_id(0)).status == 200 for r in replicas),
            timeout=20, interval=0.2, what="both replicas serving again")
        checks.check(resumed, f"both replicas serve again {time.monotonic() - stopped_at:.1f}s "
                              "after the stop")
        time.sleep(1.0)
        stop.set()
        worker.join()

        during = [r for _, r in refused]
        bad = [r for r in during if r.status != 503 or not r.json or
               r.json.get("error_code") != "DMS.00500000"]
        checks.check(len(during) > 0 and not bad,
                     f"{len(during)} writes refused during the outage, all 503 DMS.00500000"
                     + (f" (unexpected: {bad[:3]})" if bad else ""))
        checks.check(len(acknowledged) > 0 and after_restart[0] > 0,
                     f"{len(acknowledged)} writes acknowledged (200), {after_restart[0]} of them "
                     "after the restart")

        # Nothing acknowledged is lost: every acknowledged job exists and completes,
        # including the one pending when the database went down.
        acknowledged[cp.instance_id(0)] = pending.json["job_id"]

        def all_done():
            for instance, job_id in acknowledged.items():
                answer = replicas[1].task(instance, job_id)
                if answer.status != 200 or answer.json["tasks"][0]["status"] != "SUCCESS":
                    return False
            return True

        cp.wait_until(all_done, timeout=30, interval=0.5, what="acknowledged jobs SUCCESS")
        checks.check(True, f"all {len(acknowledged)} acknowledged jobs present and SUCCESS")
        enabled = all(replicas[0].instance(i).json["connector_enable"] is True for i in acknowledged)
        checks.check(enabled, "every acknowledged instance has Smart Connect enabled")
        # A refused write may or may not have committed (lost commit answer);
        # it is never half-applied: either RUNNING+enabled with a job, or untouched.
        for idx, _ in refused:
            shown = replicas[0].instance(cp.instance_id(idx)).json
            if shown["status"] not in ("RUNNING",):
                checks.check(False, f"refused write left instance {idx} in {shown['status']}")
                break
        else:
            checks.check(True, "refused writes left no instance half-changed")
        retry = replicas[0].enable(cp.instance_id(refused[0][0])) if refused else None
        checks.check(retry is None or retry.status in (200, 400),
                     f"a refused write can be retried after the restart ({retry})")
    except Exception as error:
        checks.check(False, f"unexpected error: {error!r}")
    finally:
        if database_down:
            subprocess.run([ctl, "start"], check=False)
        for replica in replicas:
            replica.stop()
        if checks.failed:
            for replica in replicas:
                print(f"--- {replica.name} log tail ---")
                print(open(replica.log_path).read()[-2000:])
        shutil.rmtree(work, ignore_errors=True)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
