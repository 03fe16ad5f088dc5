#!/usr/bin/env python3
"""Crossed CreatePrivateConnect pairs on PostgreSQL: none may be refused.

Two requests name the same two ports in opposite order (A->Z and Z->A), each
on VLANs of its own, so they conflict with nothing. They are sent at the same
instant, once from two replicas sharing one database and once to a single
replica; every one of them must be accepted (200 with a privateConnectId).
A transaction that locks the two ports in request order deadlocks with its
crossed twin; PostgreSQL then aborts one of them after deadlock_timeout (1 s)
and the client used to get 409 OPERATION_DENIED carrying the SQL text.
Afterwards the database holds exactly the accepted connects, each on the VLANs
it asked for. Needs CONNECTPLANE_TEST_POSTGRES_DSN (scripts/with-postgres.sh).
"""
import json
import threading
import time

import cp_harness as cp

PAIRS = 16
ACCOUNT = "zl-crossed"
ACCESS_KEY_ID = "ZLCROSSEDAK"
PASSWORD = "crossed-password"
# Request order A->Z is ascending by port id, Z->A descending.
PORT_A = "port-a"
PORT_Z = "port-z"
# Text that only a database error carries; no client answer may contain it.
INTERNAL_MARKERS = ("SQLSTATE", "deadlock", "SELECT", "pg_advisory", "Process ", "postgres")


def write_seed(path):
    seed = {
        "description": "crossed creates",
        "zenlayer": {
            "credentials": [{"access_key_id": ACCESS_KEY_ID, "access_key_password": PASSWORD,
                             "account_id": ACCOUNT}],
            "ports": [{"account_id": ACCOUNT, "portId": PORT_A, "portName": "A", "dcId": "SIN1"},
                      {"account_id": ACCOUNT, "portId": PORT_Z, "portName": "Z", "dcId": "HKG1"}],
        },
    }
    with open(path, "w") as out:
        json.dump(seed, out)


def create(replica, first_port, second_port, vlan, when_ready):
    return replica.zenlayer("CreatePrivateConnect", {
        "privateConnectName": f"crossed-{vlan}",
        "bandwidthMbps": 10,
        "endpointA": {"portId": first_port, "vlanId": vlan},
        "endpointZ": {"portId": second_port, "vlanId": vlan},
    }, ACCESS_KEY_ID, PASSWORD, when_ready=when_ready)


def crossed_pairs(forward_replica, backward_replica, first_vlan):
    """Sends PAIRS crossed pairs, the two requests of a pair at the same instant.
    Returns [(vlan, ports, response)] for every request."""
    results = []
    lock = threading.Lock()
    for pair_idx in range(PAIRS):
        barrier = threading.Barrier(2)

        def send(replica, ports, vlan):
            response = create(replica, ports[0], ports[1], vlan, when_ready=barrier.wait)
            with lock:
                results.append((vlan, ports, response))

        vlan = first_vlan + 2 * pair_idx
        threads = [
            threading.Thread(target=send, args=(forward_replica, (PORT_A, PORT_Z), vlan)),
            threading.Thread(target=send, args=(backward_replica, (PORT_Z, PORT_A), vlan + 1)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return results


def accepted_id(response):
    if response.status != 200 or not isinstance(response.json, dict):
        return None
    return (response.json.get("response") or {}).get("privateConnectId")


def report(checks, label, results, seconds):
    refused = [(vlan, response) for vlan, _, response in results if not accepted_id(response)]
    checks.check(not refused,
                 f"{label}: {len(results) - len(refused)}/{len(results)} crossed creates accepted "
                 f"in {seconds:.1f}s ({len(refused)} refused)")
    for vlan, response in refused[:4]:
        print(f"       refused vlan {vlan}: {response}", flush=True)
    leaking = [response for _, _, response in results
               if any(marker in response.body for marker in INTERNAL_MARKERS)]
    checks.check(not leaking, f"{label}: no answer carries database text ({len(leaking)} do)")
    for response in leaking[:2]:
        print(f"       leaking: {response}", flush=True)


def main():
    checks = cp.Checks("crossed-creates")
    binary = cp.binary_path()
    db = cp.fresh_database("crossed_creates")
    work = cp.temp_dir("crossed-creates")
    seed = f"{work}/seed.json"
    write_seed(seed)
    replicas = []
    try:
        replicas = [cp.Replica(binary, db, seed, work, f"replica{idx}", job_seconds="1",
                               threads=4) for idx in range(2)]
        print(f"replicas on ports {[r.port for r in replicas]}, database {db}", flush=True)

        started = time.monotonic()
        across = crossed_pairs(replicas[0], replicas[1], first_vlan=100)
        report(checks, "two replicas", across, time.monotonic() - started)

        started = time.monotonic()
        alone = crossed_pairs(replicas[0], replicas[0], first_vlan=1000)
        report(checks, "one replica", alone, time.monotonic() - started)

        # The database holds exactly the accepted connects, on their own VLANs.
        expected = {accepted_id(response): (ports, vlan)
                    for vlan, ports, response in across + alone if accepted_id(response)}
        rows = cp.psql_value(
            db, "SELECT private_connect_id || ',' || a_port_id || ',' || a_vlan_id || ',' || "
                f"z_port_id || ',' || z_vlan_id FROM zenlayer_private_connects "
                f"WHERE account_id = '{ACCOUNT}'")
        stored = {}
        for line in filter(None, rows.splitlines()):
            connect_id, a_port, a_vlan, z_port, z_vlan = line.split(",")
            stored[connect_id] = ((a_port, z_port), int(a_vlan), int(z_vlan))
        consistent = stored.keys() == expected.keys() and all(
            stored[connect_id] == (ports, vlan, vlan)
            for connect_id, (ports, vlan) in expected.items())
        checks.check(consistent, f"{len(stored)} connects stored, exactly the "
                                 f"{len(expected)} accepted ones on their own VLANs")
    finally:
        for replica in replicas:
            replica.stop()
    for replica in replicas:
        with open(replica.log_path) as log:
            retries = sum("retrying transaction" in line for line in log)
        print(f"{replica.name}: {retries} transaction retries logged", flush=True)
    return checks.finish()


if __name__ == "__main__":
    raise SystemExit(main())
