#!/usr/bin/env bash
# One command to try connectplane: installs what is missing, builds, and serves
# the cloud APIs on the embedded default (SQLite file, demo tenants seeded).
#   LISTEN=127.0.0.1:8080  DB=sqlite:connectplane.db  SEED=examples/demo-seed.json
# Extra arguments are passed to `connectplane serve` (e.g. --job-seconds 0).
# Builds only the server binary (the test command builds everything).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
BUILD_TARGETS=connectplane ./scripts/build.sh
listen=${LISTEN:-127.0.0.1:8080}
db=${DB:-sqlite:connectplane.db}
seed=${SEED:-examples/demo-seed.json}
cat <<INFO
Demo credentials (from $seed):
  Huawei DMS for Kafka: AK HPUAEXAMPLEAK0000001  SK ExampleSecretKey0000000000000000000000000
                        project 0123456789abcdef0123456789abcdef
                        instance a1b2c3d4-0000-1111-2222-333344445555
  Huawei IAM (/v3):     domain demo-domain, user demo, password DemoIamPassword-0001
                        (region and project name eu-de; auth_url http://$listen/v3)
  Zenlayer SDN:         access key ZLDEMOKEY0000001  password ZenlayerDemoPassword000000000001
                        or bearer token zl-demo-token-0000000000000000000000000001
                        (account zl-demo-account; X-ZC-Version 2023-08-30 or 2026-04-01)
Point the SDK at the address printed below (no trailing slash). Ctrl-C stops the server;
state persists in ${db#sqlite:}.
INFO
exec "${CONNECTPLANE_BUILD_DIR:-build}/src/main/connectplane" serve --listen "$listen" --db "$db" --seed "$seed" "$@"
