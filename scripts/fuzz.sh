#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/*_fuzz.cc; clang, ASan+UBSan) into
# build-fuzz/ and runs each for the given number of seconds (default 600),
# printing executions per target and any crash.
#   scripts/fuzz.sh [seconds-per-target] [target...]
# Environment: FUZZ_JOBS targets at a time (default 1; the machine has 2 cores),
# FUZZ_NICE niceness (default 10), FUZZ_BUILD_DIR (default build-fuzz; the
# sanitizer tree build-asan also holds the targets, see scripts/sanitize.sh ci).
# The committed seeds in fuzz/corpus/<name>/ are read only; new inputs found go
# to build-fuzz/corpus/<name>/ and crashes to build-fuzz/artifacts/<name>/.
# A crash makes the script exit 1: minimize it (<target>_fuzz -minimize_crash=1),
# fix the bug, add the input to fuzz/corpus/<name>/ and a test to tests/regress/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
jobs=${FUZZ_JOBS:-1}
niceness=${FUZZ_NICE:-10}
build_dir=${FUZZ_BUILD_DIR:-build-fuzz}

if [ ! -f "$build_dir/build.ninja" ]; then
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER=clang++ -DSVC_BUILD_FUZZ=ON -DSVC_SANITIZE=ON \
    -DSVC_BUILD_TESTS=OFF >/dev/null
fi
cmake --build "$build_dir" --parallel "$(nproc)"

if [ $# -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for source in fuzz/*_fuzz.cc; do
    name=$(basename "$source" _fuzz.cc)
    if [ -x "$build_dir/fuzz/${name}_fuzz" ]; then
      targets+=("$name")
    fi
  done
fi

# Longer inputs where the limit under test needs them (16 KiB header limit).
max_len_for() {
  case "$1" in
    http_request) echo 20000 ;;
    seed_file) echo 8192 ;;
    *) echo 4096 ;;
  esac
}

run_one() {
  local name=$1
  local work="$build_dir/corpus/$name" artifacts="$build_dir/artifacts/$name/"
  local log="$build_dir/logs/$name.log"
  mkdir -p "$work" "$artifacts" "$build_dir/logs"
  local seeds="fuzz/corpus/$name"
  [ -d "$seeds" ] || seeds=""
  local rc=0
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    nice -n "$niceness" "$build_dir/fuzz/${name}_fuzz" -max_total_time="$seconds" \
    -max_len="$(max_len_for "$name")" -timeout=25 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts" "$work" $seeds >"$log" 2>&1 || rc=$?
  local execs crashes
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  crashes=$(find "$artifacts" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
    -o -name 'oom-*' \) | wc -l)
  echo "$name: ${execs:-0} executions in ${seconds}s, corpus $(ls "$work" | wc -l) inputs," \
    "rc=$rc, artifacts=$crashes"
  if [ "$rc" -ne 0 ]; then
    echo "---- $name failed; last lines of $log:"
    grep -E 'ERROR|ORACLE|SUMMARY|Test unit written|runtime error' "$log" | head -20 || true
    return 1
  fi
}

failed=0
running=0
for name in "${targets[@]}"; do
  run_one "$name" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n || failed=1
    running=$((running - 1))
  fi
done
while [ "$running" -gt 0 ]; do
  wait -n || failed=1
  running=$((running - 1))
done
if [ "$failed" -ne 0 ]; then
  echo "fuzz: FAILED (see $build_dir/logs/ and $build_dir/artifacts/)"
  exit 1
fi
echo "fuzz: ${#targets[@]} targets clean for ${seconds}s each"
