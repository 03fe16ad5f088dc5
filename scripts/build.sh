#!/usr/bin/env bash
# Configures and builds into build/ (RelWithDebInfo; ccache when present).
# Extra arguments go to cmake's configure step. BUILD_TARGETS (space-separated
# target names, e.g. "connectplane") builds only those; unset builds everything
# (the test command needs everything).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${CONNECTPLANE_BUILD_DIR:-build}
if [ ! -f "$build_dir/build.ninja" ] || [ $# -gt 0 ]; then
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
fi
targets=()
for target in ${BUILD_TARGETS:-}; do
  targets+=(--target "$target")
done
cmake --build "$build_dir" --parallel "$(nproc)" "${targets[@]}"
