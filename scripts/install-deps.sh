#!/usr/bin/env bash
# Installs what is missing on Debian 12: build toolchain, libraries, Node.js,
# and (with --e2e, the test command) the npm packages of the end-to-end suite plus the test
# tools (clang, chromium, PostgreSQL 15, wrk, nginx, and the container test's podman, runc and
# mmdebstrap); --bench adds wrk and nginx; --container adds podman, runc and mmdebstrap
# (scripts/test-container.sh). Idempotent and
# non-interactive; runs apt-get only when a package is actually missing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build ccache pkg-config python3
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libsqlite3-dev libpq-dev libabsl-dev libspdlog-dev libfmt-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
)
tests=0
bench=0
container=0
for arg in "$@"; do
  case "$arg" in
    --e2e) tests=1 ;;    # the test command (scripts/test.sh)
    --bench) bench=1 ;;  # bench/run.sh
    --container) container=1 ;;  # scripts/test-container.sh
  esac
done
if [ "$tests" = 1 ] || [ "$bench" = 1 ]; then
  # Load generator and the static-JSON baseline (the test command runs the
  # bench smoke too).
  packages+=(wrk nginx)
fi
if [ "$tests" = 1 ]; then
  # The ASan+UBSan suite and the libFuzzer targets need clang and its
  # sanitizer/fuzzer runtimes; the browser test drives Debian's chromium with
  # playwright-core (no browser download); scripts/test-postgres.sh starts a
  # throwaway cluster from the PostgreSQL 15 server binaries.
  packages+=(clang libclang-rt-14-dev chromium postgresql-15)
fi
if [ "$tests" = 1 ] || [ "$container" = 1 ]; then
  # Builds and runs the container image: podman with runc (no systemd needed),
  # the base image made from Debian packages by mmdebstrap, uidmap for rootless.
  packages+=(podman runc mmdebstrap uidmap)
fi
missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if [ "$tests" = 1 ]; then
  # npm ci is skipped when node_modules already matches package-lock.json.
  if [ ! -f e2e/node_modules/.package-lock.json ] || ! cmp -s e2e/package-lock.json e2e/node_modules/.lock-stamp; then
    (cd e2e && npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.lock-stamp)
  fi
fi
