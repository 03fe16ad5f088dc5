#!/usr/bin/env python3
"""Credential cache contract, end to end on the real binary: a secret rotated or
restored through the admin API (seed, reset) takes effect on the very next
request, however long --credential-cache-seconds is (here one hour, so only
the invalidation wired in main can make the new secret work)."""
import argparse
import sys
import uuid

import hwclient

NEW_SK = "RotatedSecretKey000000000000000000000000"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    args = parser.parse_args()
    instance_id = str(uuid.UUID(int=11))
    credential = {"access_key": hwclient.DEMO_AK, "secret_key": hwclient.DEMO_SK,
                  "project_id": hwclient.DEMO_PROJECT}
    seed = {"huawei": {"credentials": [credential],
                       "kafka_instances": [{"project_id": hwclient.DEMO_PROJECT,
                                            "instance_id": instance_id, "name": "rotate"}]}}
    server = hwclient.Server(args.binary, seed,
                             extra_args=("--credential-cache-seconds", "3600")).start()
    path = f"/v2/{hwclient.DEMO_PROJECT}/instances/{instance_id}"

    def status_with(secret):
        client = hwclient.Client(server.port, sk=secret)
        status, _ = client.call("GET", path)
        client.close()
        return status

    failures = []

    def expect(what, got, want):
        print(f"{what}: {got} (want {want})")
        if got != want:
            failures.append(what)

    try:
        expect("original secret, caches the credential", status_with(hwclient.DEMO_SK), 200)
        rotated = dict(credential, secret_key=NEW_SK)
        status, _ = server.admin("POST", "seed", {"huawei": {"credentials": [rotated]}})
        expect("admin seed rotating the secret", status, 200)
        expect("old secret right after the rotation", status_with(hwclient.DEMO_SK), 401)
        expect("new secret right after the rotation", status_with(NEW_SK), 200)
        status, _ = server.admin("POST", "reset")
        expect("admin reset (re-applies the start-up seed)", status, 200)
        expect("original secret right after the reset", status_with(hwclient.DEMO_SK), 200)
        expect("rotated secret right after the reset", status_with(NEW_SK), 401)
    finally:
        server.stop()
    print("PASS" if not failures else f"FAIL: {failures}")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
