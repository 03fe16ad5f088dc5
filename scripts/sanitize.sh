#!/usr/bin/env bash
# Builds the whole unit test suite under sanitizers and runs it with ctest.
#   scripts/sanitize.sh asan   ASan+UBSan (-fno-sanitize-recover=all) in build-asan/
#   scripts/sanitize.sh tsan   ThreadSanitizer in build-tsan/
#   scripts/sanitize.sh tsan-ci ThreadSanitizer over the suites that run threads
#                              (transport, jobs, stores, services, metrics,
#                              regressions, and the black-box tests of the real
#                              binary): what scripts/test.sh runs. The other
#                              suites drive one thread; leaving them out keeps
#                              CI inside its time budget.
#   scripts/sanitize.sh ci     asan, then every libFuzzer target (built in the
#                              same tree) for FUZZ_SMOKE_SECONDS (default 10)
#                              over its committed corpus: what scripts/test.sh runs
#   scripts/sanitize.sh [all]  asan and tsan, one after the other
# Uses clang++ (same toolchain as the fuzzers). Extra ctest arguments may follow
# the mode, e.g. `scripts/sanitize.sh asan -R api_dms_test`. Exits non-zero
# when a build fails or any test (or sanitizer report) fails.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-all}
shift || true
jobs=${SANITIZE_JOBS:-$(nproc)}
cxx=${SANITIZE_CXX:-clang++}

configure_and_build() {
  local dir=$1
  shift
  # Configured every time (cheap once cached) so new options reach old trees.
  # -O1 keeps sanitizer runs fast enough while the stacks stay readable.
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER="$cxx" \
    -DCMAKE_CXX_FLAGS_DEBUG="-g -O1" "$@" >/dev/null
  cmake --build "$dir" --parallel "$jobs"
}

run_asan() {
  echo "== ASan+UBSan build (build-asan, fuzz targets included)"
  # The fuzz targets share this tree: one sanitizer build serves the unit
  # tests and the fuzz smoke (the libraries carry coverage hooks, harmless
  # for the tests). Benchmarks are left out: nothing runs them here.
  configure_and_build build-asan -DSVC_SANITIZE=ON -DSVC_BUILD_FUZZ=ON -DSVC_BUILD_BENCH=OFF
  echo "== ASan+UBSan ctest"
  (cd build-asan &&
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1 \
      UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      ctest --output-on-failure --timeout 600 "$@")
}

run_tsan() {
  echo "== TSan build (build-tsan)"
  configure_and_build build-tsan -DSVC_TSAN=ON
  echo "== TSan ctest"
  (cd build-tsan &&
    TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/../scripts/tsan.supp" \
      ctest --output-on-failure --timeout 900 "$@")
}

# The ctest names tsan-ci runs, and the targets they need.
tsan_ci_tests='^(http_test|jobs_test|store_test|service_test|metrics_test|regress_test|integration_.*)$'
tsan_ci_targets=(connectplane http_test jobs_test store_test service_test metrics_test regress_test)

run_tsan_ci() {
  echo "== TSan build (build-tsan; the suites that run threads)"
  cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER="$cxx" \
    -DCMAKE_CXX_FLAGS_DEBUG="-g -O1" -DSVC_TSAN=ON >/dev/null
  cmake --build build-tsan --parallel "$jobs" --target "${tsan_ci_targets[@]}"
  echo "== TSan ctest"
  (cd build-tsan &&
    TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/../scripts/tsan.supp" \
      ctest --output-on-failure --timeout 900 -R "$tsan_ci_tests" "$@")
}

run_fuzz_smoke() {
  echo "== fuzz smoke (${FUZZ_SMOKE_SECONDS:-10}s per target, build-asan)"
  FUZZ_BUILD_DIR=build-asan FUZZ_NICE=0 ./scripts/fuzz.sh "${FUZZ_SMOKE_SECONDS:-10}"
}

case "$mode" in
  asan) run_asan "$@" ;;
  ci)
    status=0
    run_asan "$@" || status=1
    run_fuzz_smoke || status=1
    exit "$status"
    ;;
  tsan) run_tsan "$@" ;;
  tsan-ci) run_tsan_ci "$@" ;;
  all)
    run_asan "$@"
    run_tsan "$@"
    ;;
  *)
    echo "usage: $0 [asan|tsan|tsan-ci|ci|all] [ctest args...]" >&2
    exit 2
    ;;
esac
