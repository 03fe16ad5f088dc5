#!/usr/bin/env python3
"""Three connectplane replicas on one PostgreSQL database.

Signed DMS requests are spread over the replicas; two replicas race to enable
the same instance (exactly one wins); one replica is kill -9'd while it holds
job leases and is blocked half-way through a job transaction. Afterwards every job has
finished exactly once (task SUCCESS, attempts 1, instance version bumped once
per state change), and every surviving replica answers with the same state.
Needs CONNECTPLANE_TEST_POSTGRES_DSN (scripts/with-postgres.sh sets it).
"""
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import cp_harness as cp

INSTANCES = 24
JOB_SECONDS = 2


def main():
    checks = cp.Checks("multi-replica")
    binary = cp.binary_path()
    db = cp.fresh_database("multi_replica")
    work = cp.temp_dir("multi-replica")
    seed = f"{work}/seed.json"
    cp.write_seed(seed, INSTANCES)
    replicas = []
    try:
        # Start all three at once: migrations and the seed race on the empty database.
        with ThreadPoolExecutor(3) as pool:
            replicas = list(pool.map(
                lambda idx: cp.Replica(binary, db, seed, work, f"replica{idx}",
                                       job_seconds=str(JOB_SECONDS)), range(3)))
        print(f"replicas on ports {[r.port for r in replicas]}, database {db}", flush=True)
        schema = cp.psql_value(db, "SELECT max(version) FROM schema_version")
        seeded = cp.psql_value(db, "SELECT count(*) FROM kafka_instances")
        checks.check(seeded == str(INSTANCES), f"seed applied once by concurrent starts ({seeded} instances, schema v{schema})")

        # Two replicas race to enable instance 0: exactly one is accepted.
        race = [None, None]
        barrier = threading.Barrier(2)

        def racer(slot):
            barrier.wait()
            race[slot] = replicas[1 + slot].enable(cp.instance_id(0))

        threads = [threading.Thread(target=racer, args=(slot,)) for slot in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        statuses = sorted(response.status for response in race)
        loser = [r for r in race if r.status != 200]
        checks.check(statuses == [200, 400] and loser and
                     loser[0].json.get("error_code") == "DMS.00400026",
                     f"concurrent enable on two replicas: one 200, one 400 DMS.00400026 ({race})")
        jobs = {cp.instance_id(0): [r.json["job_id"] for r in race if r.status == 200]}

        # Enables for every other instance, spread round-robin over the replicas.
        def enable(idx):
            replica = replicas[idx % 3]
            return idx, replica.enable(cp.instance_id(idx))

        started = time.monotonic()
        with ThreadPoolExecutor(8) as pool:
            results = list(pool.map(enable, range(1, INSTANCES)))
        accepted = [idx for idx, response in results if response.status == 200]
        checks.check(len(accepted) == INSTANCES - 1,
                     f"{len(accepted)}/{INSTANCES - 1} enables accepted across replicas")
        for idx, response in results:
            if response.status == 200:
                jobs[cp.instance_id(idx)] = [response.json["job_id"]]

        # Make replica 0 die mid-job, deterministically: freeze the other two
        # (SIGSTOP) so replica 0's runner claims the due jobs, hold a row lock
        # on every instance from a psql session so its first job transaction
        # blocks half-way, then kill -9 it while it waits.
        for replica in replicas[1:]:
            os.kill(replica.pid, signal.SIGSTOP)
        blocker = subprocess.Popen(["psql", db, "-qAt"], stdin=subprocess.PIPE,
                                   stdout=subprocess.DEVNULL, text=True)
        blocker.stdin.write("BEGIN; SELECT instance_id FROM kafka_instances FOR UPDATE;\n")
        blocker.stdin.flush()
        victim = replicas[0]
        cp.wait_until(lambda: cp.psql_value(
            db, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'connectplane' "
                "AND wait_event_type = 'Lock'") != "0",
            timeout=15, interval=0.1, what="replica 0 blocked inside a job transaction")
        held = cp.psql_value(db, "SELECT count(*) FROM jobs WHERE status = 'PENDING' AND "
                                 f"lease_owner LIKE '%/{victim.pid}/%'")
        victim.kill9()
        done_at_kill = cp.psql_value(db, "SELECT count(*) FROM jobs WHERE status = 'SUCCEEDED'")
        blocker.stdin.write("ROLLBACK;\n")
        blocker.stdin.close()
        blocker.wait()
        for replica in replicas[1:]:
            os.kill(replica.pid, signal.SIGCONT)
        checks.check(int(held) > 0,
                     f"kill -9 {victim.name} (pid {victim.pid}) mid-job: it held {held} job "
                     f"leases, one job transaction in flight; {done_at_kill} jobs done at the kill")
        survivors = replicas[1:]

        # Everything finishes: the dead replica's leases expire (10 s), then the
        # survivors claim those jobs; its rolled-back transaction left no trace.
        def all_succeeded():
            for index, (instance, job_ids) in enumerate(sorted(jobs.items())):
                replica = survivors[index % len(survivors)]
                for job_id in job_ids:
                    answer = replica.task(instance, job_id)
                    if answer.status != 200 or answer.json["tasks"][0]["status"] != "SUCCESS":
                        return False
            return True

        cp.wait_until(all_succeeded, timeout=45, interval=0.5, what="all enable jobs SUCCESS")
        checks.check(True, f"all {sum(len(v) for v in jobs.values())} enable jobs SUCCESS "
                           f"{time.monotonic() - started:.1f}s after submission")

        # Second round through the survivors: disable everything.
        with ThreadPoolExecutor(8) as pool:
            results = list(pool.map(
                lambda idx: (idx, survivors[idx % 2].disable(cp.instance_id(idx))),
                range(INSTANCES)))
        checks.check(all(r.status == 200 for _, r in results),
                     f"{sum(r.status == 200 for _, r in results)}/{INSTANCES} disables accepted")
        for idx, response in results:
            if response.status == 200:
                jobs[cp.instance_id(idx)].append(response.json["job_id"])
        cp.wait_until(all_succeeded, timeout=30, interval=0.5, what="all disable jobs SUCCESS")
        checks.check(True, "all disable jobs SUCCESS")

        # Exactly once: one attempt per job, two tasks per instance, and each
        # instance's version bumped exactly four times (2 requests + 2 jobs).
        state = survivors[0].state().json["tables"]
        job_rows = state["jobs"]
        checks.check(len(job_rows) == 2 * INSTANCES, f"{len(job_rows)} job rows (expected {2 * INSTANCES})")
        checks.check(all(row["status"] == "SUCCEEDED" and row["attempts"] == "1" for row in job_rows),
                     "every job SUCCEEDED with exactly 1 attempt")
        checks.check(all(row["lease_owner"] == "" for row in job_rows), "no job lease left behind")
        versions = {row["instance_id"]: row["version"] for row in state["kafka_instances"]}
        checks.check(all(version == "4" for version in versions.values()),
                     f"every instance version is 4 (versions seen: {sorted(set(versions.values()))})")
        for instance in sorted(jobs):
            answer = survivors[1].tasks(instance)
            if answer.status != 200 or answer.json["task_count"] not in (2, "2"):
                checks.check(False, f"{instance}: 2 tasks expected, got {answer}")
                break
        else:
            checks.check(True, "every instance lists exactly 2 tasks")

        # Same answers whichever replica is asked.
        def view(replica):
            out = []
            for instance in sorted(jobs):
                shown = replica.instance(instance).json
                tasks = replica.tasks(instance).json
                out.append((shown["status"], shown["connector_enable"], shown.get("connector_id"),
                            [(t["id"], t["status"]) for t in tasks["tasks"]]))
            return out

        views = [view(replica) for replica in survivors]
        checks.check(views[0] == views[1], "both surviving replicas report identical state")
        checks.check(all(v[0] == "RUNNING" and v[1] is False for v in views[0]),
                     "every instance RUNNING with Smart Connect disabled")
        state_a = survivors[0].state().json["tables"]
        state_b = survivors[1].state().json["tables"]
        checks.check(state_a == state_b, "admin state dumps identical on both replicas")
    except Exception as error:  # report, then clean up
        checks.check(False, f"unexpected error: {error!r}")
    finally:
        for replica in replicas:
            if replica.alive():
                os.kill(replica.pid, signal.SIGCONT)
            replica.stop()
        if checks.failed:
            for replica in replicas:
                print(f"--- {replica.name} log tail ---")
                print(open(replica.log_path).read()[-2000:])
        shutil.rmtree(work, ignore_errors=True)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
