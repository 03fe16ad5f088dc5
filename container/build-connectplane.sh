#!/bin/sh
# The Dockerfile's build step: configures and builds the connectplane target
# alone (no tests, no benchmarks) in $SRC_DIR/build (default: here, /src) with
# scripts/build.sh's build type, then writes the binary without its debug
# information to $1 and removes the build tree.
#
# A ccache entry matches only an identical compile: same flags, same paths
# (SRC_DIR), and the same values of the variables ccache reads or hashes
# (CCACHE_BASEDIR, CCACHE_NOHASHDIR, LANG, LC_*). They arrive as build
# arguments, where "unset" can only be spelled empty: an empty one is unset
# here, as it was on the host.
set -eu
for name in CCACHE_BASEDIR CCACHE_NOHASHDIR LANG LC_ALL LC_CTYPE LC_MESSAGES; do
  eval "value=\${$name-}"
  if [ -z "$value" ]; then unset "$name"; else export "$name"; fi
done
# SRC_DIR: the absolute path to build at (outside /src), the host checkout's
# path for ccache hits; the sources are copied there for the build.
build_dir=${SRC_DIR:-$PWD}
copied=
if [ "$build_dir" != "$PWD" ]; then
  mkdir -p "$build_dir"
  cp -a . "$build_dir"
  cd "$build_dir"
  copied=1
fi
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSVC_BUILD_TESTS=OFF -DSVC_BUILD_BENCH=OFF >/dev/null
# This build's own ccache counts (the cache directory may be shared).
export CCACHE_STATSLOG=/tmp/ccache-stats.log
cmake --build build --target connectplane
ccache --show-log-stats | awk '
  /^  Hits:/ && hits == "" { hits = $2 }
  /^  Misses:/ && misses == "" { misses = $2 }
  END { printf "ccache hits: %d, misses: %d\n", hits, misses }'
strip --strip-debug -o "$1" build/src/main/connectplane
# The object files stay in ccache, not in the image layer (some 200 MB with
# debug information, left behind by every build of a changed tree).
rm -rf build "$CCACHE_STATSLOG"
if [ -n "$copied" ]; then rm -rf "$build_dir"; fi
