#!/usr/bin/env python3
"""Race test: 50 concurrent enables of Smart Connect on one instance over HTTP
must create exactly one job; the other 49 get DMS.00400026 (busy)."""
import argparse
import sys
import threading
import uuid

import hwclient


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--clients", type=int, default=50)
    args = parser.parse_args()
    instance_id = str(uuid.UUID(int=7))
    seed = {"huawei": {"credentials": [{"access_key": hwclient.DEMO_AK,
                                        "secret_key": hwclient.DEMO_SK,
                                        "project_id": hwclient.DEMO_PROJECT}],
                       "kafka_instances": [{"project_id": hwclient.DEMO_PROJECT,
                                            "instance_id": instance_id, "name": "race"}]}}
    # The job never completes during the race (read-gated far beyond it).
    server = hwclient.Server(args.binary, seed,
                             job_seconds=("kafka.enable_connector=reads:1000000",)).start()
    barrier = threading.Barrier(args.clients)
    results, lock = [], threading.Lock()

    def enable():
        client = hwclient.Client(server.port)
        barrier.wait()
        status, body = client.call(
            "POST", f"/v2/{hwclient.DEMO_PROJECT}/instances/{instance_id}/connector",
            '{"node_cnt":"2"}')
        with lock:
            results.append((status, body.get("error_code") if isinstance(body, dict) else body))
        client.close()

    threads = [threading.Thread(target=enable) for _ in range(args.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    status, tasks = hwclient.Client(server.port).call(
        "GET", f"/v2/{hwclient.DEMO_PROJECT}/instances/{instance_id}/tasks?limit=100")
    server.stop()
    accepted = sum(1 for status, _ in results if status == 200)
    busy = sum(1 for status, code in results if status == 400 and code == "DMS.00400026")
    print(f"race test: {args.clients} concurrent enables -> {accepted} accepted, {busy} busy, "
          f"{tasks['task_count']} job(s) in the task list")
    ok = accepted == 1 and busy == args.clients - 1 and tasks["task_count"] == "1"
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
