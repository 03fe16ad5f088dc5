#!/usr/bin/env bash
# The PostgreSQL part of the test command: in one throwaway cluster
# (scripts/with-postgres.sh, unless CONNECTPLANE_TEST_POSTGRES_DSN is set), runs
# the store contract suite (SQLite + PostgreSQL), the multi-replica test and the
# PostgreSQL restart test against the binary in ${CONNECTPLANE_BUILD_DIR:-build}.
# Ends with one line "postgres: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
build_dir=${CONNECTPLANE_BUILD_DIR:-build}
if [ -z "${CONNECTPLANE_TEST_POSTGRES_DSN:-}" ]; then
  exec ./scripts/with-postgres.sh "$0" "$@"
fi
export CONNECTPLANE_BIN=${CONNECTPLANE_BIN:-$PWD/$build_dir/src/main/connectplane}
passed=0
failed=0
run() {
  local label=$1
  shift
  echo "== postgres: $label"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "== postgres: $label FAILED"; fi
}
run "store contract suite" "$build_dir/tests/store/store_test" --gtest_brief=1
run "multi-replica test" python3 tests/integration/multi_replica_test.py
run "restart test" python3 tests/integration/pg_restart_test.py
echo "postgres: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
