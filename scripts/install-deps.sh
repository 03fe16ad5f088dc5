#!/usr/bin/env bash
# Installs what is missing on Debian 12: build toolchain, libraries, Node.js,
# and (with --e2e) the npm packages of the end-to-end suite. Idempotent and
# non-interactive; runs apt-get only when a package is actually missing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build ccache pkg-config python3
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libsqlite3-dev libpq-dev libabsl-dev libspdlog-dev libfmt-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  wrk nginx  # bench/run.sh (issue 6): load generator and the static-JSON baseline
)
if [ "${1:-}" = "--e2e" ]; then
  # The test command also builds the ASan+UBSan suite and the libFuzzer
  # targets, which need clang and its sanitizer/fuzzer runtimes; the
  # end-to-end suite's browser test drives Debian's chromium with
  # playwright-core (no browser download).
  packages+=(clang libclang-rt-14-dev chromium)
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

if [ "${1:-}" = "--e2e" ]; then
  # npm ci is skipped when node_modules already matches package-lock.json.
  if [ ! -f e2e/node_modules/.package-lock.json ] || ! cmp -s e2e/package-lock.json e2e/node_modules/.lock-stamp; then
    (cd e2e && npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.lock-stamp)
  fi
fi
