#!/usr/bin/env bash
# The PostgreSQL part of the test command: in one throwaway cluster
# (scripts/with-postgres.sh, unless CONNECTPLANE_TEST_POSTGRES_DSN is set), runs
# the store contract suite (SQLite + PostgreSQL), the multi-replica test, the
# crossed-creates test, the PostgreSQL restart test and the whole official-SDK
# e2e suite (e2e/, one fresh database per server workspace through
# CONNECTPLANE_E2E_POSTGRES_DSN) against
# the binary in ${CONNECTPLANE_BUILD_DIR:-build} (or $CONNECTPLANE_BIN).
# Prints "e2e (PostgreSQL): N passed, N failed" (individual e2e tests) and ends
# with one line "postgres: N passed, N failed" that counts every test run here:
# one per suite above plus each e2e test.
set -uo pipefail
cd "$(dirname "$0")/.."
build_dir=${CONNECTPLANE_BUILD_DIR:-build}
if [ -z "${CONNECTPLANE_TEST_POSTGRES_DSN:-}" ]; then
  exec ./scripts/with-postgres.sh "$0" "$@"
fi
export CONNECTPLANE_BIN=${CONNECTPLANE_BIN:-$PWD/$build_dir/src/main/connectplane}
# Absolute, since the e2e suite runs from e2e/.
case "$CONNECTPLANE_BIN" in /*) ;; *) CONNECTPLANE_BIN=$PWD/$CONNECTPLANE_BIN ;; esac
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
run "crossed creates test" python3 tests/integration/crossed_creates_test.py
run "restart test" python3 tests/integration/pg_restart_test.py

# The e2e suite counts its tests one by one, like the SQLite run in
# scripts/test.sh ("# pass N" / "# fail N" from node --test).
echo "== postgres: e2e suite (official SDK, one database per workspace)"
e2e_log=$(mktemp)
(cd e2e && CONNECTPLANE_E2E_POSTGRES_DSN=$CONNECTPLANE_TEST_POSTGRES_DSN npm test 2>&1) | tee "$e2e_log"
e2e_rc=${PIPESTATUS[0]}
e2e_passed=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$e2e_log" | tail -1)
e2e_failed=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$e2e_log" | tail -1)
rm -f "$e2e_log"
e2e_passed=${e2e_passed:-0}; e2e_failed=${e2e_failed:-0}
# A harness that broke before or besides reporting still fails the run.
[ "$e2e_rc" -ne 0 ] && [ "$e2e_failed" -eq 0 ] && e2e_failed=1
[ "$e2e_failed" -ne 0 ] && echo "== postgres: e2e suite FAILED"
echo "e2e (PostgreSQL): $e2e_passed passed, $e2e_failed failed"
passed=$((passed + e2e_passed))
failed=$((failed + e2e_failed))

echo "postgres: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
