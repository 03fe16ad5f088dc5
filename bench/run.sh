#!/usr/bin/env bash
# One command for the benchmarks (see docs/performance.md):
#   ./bench/run.sh            Release build in build-release/, full run (median of 3)
#   ./bench/run.sh --smoke    tiny sizes, 1 s runs, reuses build/ (CI; never judges numbers)
# Extra arguments go to bench/run.py (e.g. --runs 5 --duration 20 --only reads,scale).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh --bench
smoke=0
for arg in "$@"; do [ "$arg" = "--smoke" ] && smoke=1; done
if [ "$smoke" = 1 ]; then
  build_dir=${CONNECTPLANE_BUILD_DIR:-build}
  build_type=RelWithDebInfo
else
  build_dir=${CONNECTPLANE_BENCH_BUILD_DIR:-build-release}
  build_type=Release
fi
if [ ! -f "$build_dir/build.ninja" ] || ! grep -q "SVC_BUILD_BENCH:BOOL=ON" "$build_dir/CMakeCache.txt"; then
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="$build_type" -DSVC_BUILD_BENCH=ON \
    $([ "$smoke" = 1 ] || echo -DSVC_BUILD_TESTS=OFF) >/dev/null
fi
micro=()
if grep -q "benchmark_DIR:PATH=/" "$build_dir/CMakeCache.txt" 2>/dev/null; then micro=(micro_bench); fi
cmake --build "$build_dir" --parallel "$(nproc)" --target connectplane cpbench "${micro[@]}"
if [ -x "$build_dir/bench/micro_bench" ]; then
  echo "== micro-benchmarks (Google Benchmark)"
  if [ "$smoke" = 1 ]; then
    "$build_dir/bench/micro_bench" --benchmark_min_time=0.01
  else
    "$build_dir/bench/micro_bench" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
  fi
fi
if [ "$smoke" = 1 ]; then
  echo "== memory under half-sent request bodies (64 connections)"
  python3 bench/slow_body_memory.py --bin "$build_dir/src/main/connectplane" --smoke
fi
echo "== macro benchmarks"
exec python3 bench/run.py --bin "$build_dir/src/main/connectplane" --cpbench "$build_dir/bench/cpbench" "$@"
