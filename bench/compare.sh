#!/usr/bin/env bash
# A/B benchmark of two builds on this machine, in one run: the macro
# benchmarks of bench/run.py alternate between build A and build B (A, B, A,
# B, ...), so drift in the host's speed hits both sides; then each build's
# micro-benchmarks. Prints every table with its build's label.
#
#   bench/compare.sh A_BUILD_DIR B_BUILD_DIR [--rounds N] [run.py arguments...]
#
# A build dir holds src/main/connectplane and bench/cpbench (and
# bench/micro_bench when Google Benchmark was found), e.g. a Release build of
# the commit before a change (git worktree add) and one of the change itself.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 2 ]; then
  echo "usage: $0 A_BUILD_DIR B_BUILD_DIR [--rounds N] [run.py arguments...]" >&2
  exit 2
fi
a=$1
b=$2
shift 2
rounds=2
if [ "${1:-}" = "--rounds" ]; then
  rounds=$2
  shift 2
fi
for dir in "$a" "$b"; do
  for tool in src/main/connectplane bench/cpbench; do
    [ -x "$dir/$tool" ] || { echo "compare: $dir/$tool is missing" >&2; exit 2; }
  done
done
./scripts/install-deps.sh --bench
for round in $(seq 1 "$rounds"); do
  for side in A B; do
    dir=$a
    [ "$side" = B ] && dir=$b
    echo "== round $round, build $side ($dir)"
    python3 bench/run.py --bin "$dir/src/main/connectplane" --cpbench "$dir/bench/cpbench" "$@"
  done
done
for side in A B; do
  dir=$a
  [ "$side" = B ] && dir=$b
  if [ -x "$dir/bench/micro_bench" ]; then
    echo "== micro-benchmarks, build $side ($dir)"
    "$dir/bench/micro_bench" --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
  fi
done
