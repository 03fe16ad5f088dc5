#!/usr/bin/env bash
# One command for every test: installs what is missing (apt packages, the e2e
# suite's npm packages), builds the server, runs the end-to-end suite against the
# real binary with the official Huawei Cloud Node.js SDK (on SQLite here, and
# again on PostgreSQL inside scripts/test-postgres.sh), the container image
# (scripts/test-container.sh: built with podman, the SDK against the running
# container), the benchmark harness once in smoke mode (counted as one test),
# the PostgreSQL suites, the unit tests (ctest) built with ASan+UBSan plus a
# smoke of every fuzz target, and ThreadSanitizer over the threaded suites.
# The unit tests run once, in the sanitizer build: building them a second time
# without sanitizers would add some ten minutes on two cores and check less
# (`./scripts/build.sh && (cd build && ctest)` runs them without).
# Ends with one line "N passed, N failed" over every suite.
set -uo pipefail
cd "$(dirname "$0")/.."
build_dir=${CONNECTPLANE_BUILD_DIR:-build}
log_dir=$(mktemp -d)
trap 'rm -rf "$log_dir"' EXIT
# Wall-clock seconds per stage, printed before the summary (CI has a time budget).
stage_times=()
stage_started=$SECONDS
stage_name="install + build"
stage() {
  stage_times+=("$stage_name $((SECONDS - stage_started))s")
  stage_name=$1
  stage_started=$SECONDS
}
./scripts/install-deps.sh --e2e || exit 1
# The server, and the store contract suite that scripts/test-postgres.sh runs
# against PostgreSQL; bench/run.sh builds the benchmark tools it needs.
BUILD_TARGETS="connectplane store_test" ./scripts/build.sh || exit 1

stage e2e-sqlite
echo "== end-to-end tests on SQLite (official SDK against the real binary)"
(cd e2e && CONNECTPLANE_BIN="$PWD/../$build_dir/src/main/connectplane" \
  env -u CONNECTPLANE_E2E_POSTGRES_DSN npm test 2>&1) | tee "$log_dir/e2e.log"
e2e_rc=${PIPESTATUS[0]}
e2e_passed=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$log_dir/e2e.log" | tail -1)
e2e_failed=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$log_dir/e2e.log" | tail -1)
e2e_passed=${e2e_passed:-0}; e2e_failed=${e2e_failed:-0}
[ "$e2e_rc" -ne 0 ] && [ "$e2e_failed" -eq 0 ] && e2e_failed=1

stage container
echo "== container image (scripts/test-container.sh: podman build of the Dockerfile, SDK against the container)"
./scripts/test-container.sh 2>&1 | tee "$log_dir/container.log"
# "container: N passed, N failed", or "container: skipped: REASON" where podman
# cannot run a container at all.
container_passed=$(sed -n 's/^container: \([0-9]*\) passed, [0-9]* failed$/\1/p' "$log_dir/container.log" | tail -1)
container_failed=$(sed -n 's/^container: [0-9]* passed, \([0-9]*\) failed$/\1/p' "$log_dir/container.log" | tail -1)
container_skipped=$(sed -n 's/^container: skipped: \(.*\)$/\1/p' "$log_dir/container.log" | tail -1)
container_passed=${container_passed:-0}
if [ -n "$container_skipped" ]; then container_failed=0; else container_failed=${container_failed:-1}; fi
# The suite above includes test/https_smart_connect.test.js (HTTPS with a test
# CA, both ways the SDK can trust it); this runs an unchanged SDK file once more
# with every server on HTTPS (CONNECTPLANE_E2E_TLS=1, lib/server.js).
stage e2e-https
echo "== end-to-end over HTTPS (CONNECTPLANE_E2E_TLS=1): smart_connect_lifecycle.test.js"
(cd e2e && CONNECTPLANE_E2E_TLS=1 CONNECTPLANE_BIN="$PWD/../$build_dir/src/main/connectplane" \
  env -u CONNECTPLANE_E2E_POSTGRES_DSN node --test --test-concurrency=1 \
  test/smart_connect_lifecycle.test.js 2>&1) | tee "$log_dir/e2e-tls.log"
e2e_tls_rc=${PIPESTATUS[0]}
e2e_tls_passed=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$log_dir/e2e-tls.log" | tail -1)
e2e_tls_failed=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$log_dir/e2e-tls.log" | tail -1)
e2e_tls_passed=${e2e_tls_passed:-0}; e2e_tls_failed=${e2e_tls_failed:-0}
[ "$e2e_tls_rc" -ne 0 ] && [ "$e2e_tls_failed" -eq 0 ] && e2e_tls_failed=1
e2e_passed=$((e2e_passed + e2e_tls_passed)); e2e_failed=$((e2e_failed + e2e_tls_failed))

stage bench
echo "== benchmark smoke (bench/run.sh --smoke: the harness must work; numbers are not judged)"
./bench/run.sh --smoke 2>&1 | tee "$log_dir/bench.log"
bench_rc=${PIPESTATUS[0]}
bench_passed=0; bench_failed=1
[ "$bench_rc" -eq 0 ] && bench_passed=1 && bench_failed=0

stage postgres
echo "== PostgreSQL: store contract suite, multi-replica and restart tests, e2e suite (throwaway cluster)"
./scripts/test-postgres.sh 2>&1 | tee "$log_dir/pg.log"
# "postgres: N passed, N failed" counts everything test-postgres.sh ran, e2e
# tests included; "e2e (PostgreSQL): ..." is that e2e share, for the summary.
pg_passed=$(sed -n 's/^postgres: \([0-9]*\) passed, [0-9]* failed$/\1/p' "$log_dir/pg.log" | tail -1)
pg_failed=$(sed -n 's/^postgres: [0-9]* passed, \([0-9]*\) failed$/\1/p' "$log_dir/pg.log" | tail -1)
pg_passed=${pg_passed:-0}; pg_failed=${pg_failed:-1}
pg_e2e_passed=$(sed -n 's/^e2e (PostgreSQL): \([0-9]*\) passed, [0-9]* failed$/\1/p' "$log_dir/pg.log" | tail -1)
pg_e2e_failed=$(sed -n 's/^e2e (PostgreSQL): [0-9]* passed, \([0-9]*\) failed$/\1/p' "$log_dir/pg.log" | tail -1)
pg_e2e_passed=${pg_e2e_passed:-0}; pg_e2e_failed=${pg_e2e_failed:-0}

stage unit+fuzz
echo "== unit tests (ctest) with ASan+UBSan, then a smoke of every fuzz target (clang, build-asan)"
./scripts/sanitize.sh ci 2>&1 | tee "$log_dir/asan.log"
asan_rc=${PIPESTATUS[0]}
# "100% tests passed, 0 tests failed out of 27"
asan_total=$(sed -n 's/.*tests failed out of \([0-9]*\).*/\1/p' "$log_dir/asan.log" | tail -1)
asan_failed=$(sed -n 's/.*tests passed, \([0-9]*\) tests failed.*/\1/p' "$log_dir/asan.log" | tail -1)
asan_total=${asan_total:-0}; asan_failed=${asan_failed:-1}
fuzz_passed=$(grep -cE '^[a-z_]+: [0-9]+ executions in .* rc=0, artifacts=0$' "$log_dir/asan.log")
fuzz_failed=$(grep -cE '^[a-z_]+: [0-9]+ executions in .* (rc=[1-9]|artifacts=[1-9])' "$log_dir/asan.log")
if [ "$asan_rc" -ne 0 ] && [ "$asan_failed" -eq 0 ] && [ "$fuzz_failed" -eq 0 ]; then
  asan_failed=1  # the build or the harness broke
fi

stage tsan
echo "== ThreadSanitizer: the suites that run threads, and the real binary under its black-box tests (clang, build-tsan)"
./scripts/sanitize.sh tsan-ci 2>&1 | tee "$log_dir/tsan.log"
tsan_rc=${PIPESTATUS[0]}
tsan_total=$(sed -n 's/.*tests failed out of \([0-9]*\).*/\1/p' "$log_dir/tsan.log" | tail -1)
tsan_failed=$(sed -n 's/.*tests passed, \([0-9]*\) tests failed.*/\1/p' "$log_dir/tsan.log" | tail -1)
tsan_total=${tsan_total:-0}; tsan_failed=${tsan_failed:-1}
[ "$tsan_rc" -ne 0 ] && [ "$tsan_failed" -eq 0 ] && tsan_failed=1  # the build broke

stage done
echo "stage times: ${stage_times[*]}"
passed=$(( e2e_passed + container_passed + bench_passed + pg_passed + asan_total - asan_failed + fuzz_passed + tsan_total - tsan_failed ))
failed=$(( e2e_failed + container_failed + bench_failed + pg_failed + asan_failed + fuzz_failed + tsan_failed ))
echo "unit (ASan+UBSan): $((asan_total - asan_failed))/$asan_total ctest binaries passed; e2e (SQLite): $e2e_passed passed, $e2e_failed failed; e2e (PostgreSQL): $pg_e2e_passed passed, $pg_e2e_failed failed; bench smoke: $([ "$bench_failed" -eq 0 ] && echo passed || echo FAILED); postgres suites: $((pg_passed - pg_e2e_passed)) passed, $((pg_failed - pg_e2e_failed)) failed; fuzz smoke: $fuzz_passed passed, $fuzz_failed failed; tsan: $((tsan_total - tsan_failed))/$tsan_total passed; container: $([ -n "$container_skipped" ] && echo "skipped ($container_skipped)" || echo "$container_passed passed, $container_failed failed")"
echo "$passed passed, $failed failed$([ -n "$container_skipped" ] && echo ", 1 skipped")"
[ "$failed" -eq 0 ]
