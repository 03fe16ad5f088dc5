#!/usr/bin/env bash
# The container image test: builds the image with podman from the Dockerfile
# and runs it the way a CI user would. Checks: the image builds; the container
# becomes healthy (its HEALTHCHECK, `connectplane healthcheck`); the official
# Node SDK enables and disables Smart Connect against it
# (e2e/container/smart_connect_in_container.test.js); the admin API needs the
# token the container generated on /data; a new container on the same /data
# volume still has the state (and the token); `podman stop` ends it with exit
# code 0; two containers on one PostgreSQL database (a throwaway cluster of
# Debian's PostgreSQL, as compose.yaml's replicas) serve the same state.
#
# No registry is reachable where this runs, so the Debian 12 base image is made
# locally from the machine's configured apt sources (mmdebstrap | podman import)
# and kept as localhost/connectplane-base:bookworm (CONNECTPLANE_REBUILD_BASE=1
# makes it again). Podman runs as root (as CI does; rootless is untested), with
# runc, cgroupfs and the host network (what works on our 2-core machines,
# which have no systemd).
#
# Ends with "container: N passed, N failed", or "container: skipped: REASON"
# when podman cannot run a container on this machine at all.
set -uo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
base_image=localhost/connectplane-base:bookworm
image=localhost/connectplane:test
podman_run=(podman --runtime runc --cgroup-manager cgroupfs)
# Raising a limit above the sandbox's own is refused here ("error setting
# rlimit"): every container and build step asks for these.
ulimits=(--ulimit nofile=1024:1024 --ulimit nproc=1024:1024)

passed=0
failed=0
pass() { echo "ok: $*"; passed=$((passed + 1)); }
fail() { echo "FAILED: $*"; failed=$((failed + 1)); }
finish() {
  echo "container: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit
}
skip() {
  echo "container: skipped: $*"
  exit 0
}
seconds_since() { echo $(( $(date +%s) - $1 )); }

./scripts/install-deps.sh --container >/dev/null || fail "install-deps.sh --container"
if [ ! -d e2e/node_modules ]; then
  (cd e2e && npm ci --no-audit --no-fund --loglevel=error) || fail "npm ci in e2e/"
fi
command -v podman >/dev/null || skip "podman is not installed (apt-get install podman failed)"
if ! podman_info=$(podman info 2>&1); then
  skip "podman info fails: $(echo "$podman_info" | tail -1)"
fi

work=$(mktemp -d)
containers=()
pg_pid=
cleanup() {
  for name in "${containers[@]}"; do
    podman rm -f -t 5 "$name" >/dev/null 2>&1
  done
  if [ -n "$pg_pid" ]; then
    touch "$work/pg-stop"
    wait "$pg_pid" 2>/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# --- base image: Debian 12 from the configured apt sources ---
if [ "${CONNECTPLANE_REBUILD_BASE:-0}" = 1 ] || ! podman image exists "$base_image"; then
  # The Debian bookworm entries of this machine's apt sources (files with
  # other suites, e.g. a vendor's repository, are left out).
  sources=()
  for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [ -f "$file" ] || continue
    if grep -vE '^[[:space:]]*#' "$file" | grep -qE '(^|[[:space:]])bookworm(-[a-z]+)?([[:space:]]|$)'; then
      sources+=("$file")
    fi
  done
  [ ${#sources[@]} -gt 0 ] || sources=(http://deb.debian.org/debian)
  echo "== base image $base_image: mmdebstrap --variant=minbase bookworm from ${sources[*]}"
  started=$(date +%s)
  # Documentation, manual pages and translations are left out: smaller and
  # faster. The merged-usr hook makes /usr merged without the usrmerge package
  # (and the perl it pulls in).
  if mmdebstrap --variant=minbase --quiet --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
      --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
      --dpkgopt='path-include=/usr/share/doc/*/copyright' \
      --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*' \
      bookworm - "${sources[@]}" </dev/null >"$work/base.tar" 2>"$work/base.log" \
    && podman import --quiet "$work/base.tar" "$base_image" >/dev/null 2>>"$work/base.log"; then
    pass "base image built in $(seconds_since "$started") s"
  else
    tail -20 "$work/base.log"
    fail "base image (mmdebstrap | podman import)"
    finish
  fi
  rm -f "$work/base.tar"
else
  echo "== base image $base_image: present (CONNECTPLANE_REBUILD_BASE=1 makes it again)"
fi

# Podman that cannot start a container here (no user namespaces, no cgroups,
# a kernel without overlay support) is a property of the machine, not of the image.
if ! probe=$("${podman_run[@]}" run --rm --network host "${ulimits[@]}" "$base_image" true 2>&1); then
  skip "podman cannot run a container here: $(echo "$probe" | tail -1)"
fi

# --- the image ---
# The build reuses this machine's ccache: same checkout path, same ccache
# settings, the host's cache directory mounted in the build.
build_args=(--build-arg "BASE_IMAGE=$base_image" --build-arg "SRC_DIR=$repo")
ccache_dir=$(ccache -k cache_dir 2>/dev/null || true)
if [ -n "$ccache_dir" ]; then
  mkdir -p "$ccache_dir"
  build_args+=(-v "$ccache_dir:/host-ccache" --build-arg CCACHE_DIR=/host-ccache)
  # ccache reads the first two and hashes the others into every key.
  for name in CCACHE_BASEDIR CCACHE_NOHASHDIR LANG LC_ALL LC_CTYPE LC_MESSAGES; do
    build_args+=(--build-arg "$name=${!name:-}")
  done
fi
echo "== image $image: podman build --isolation chroot --format docker (log: build.log on failure)"
started=$(date +%s)
# --force-rm: a failed build leaves no working containers behind.
if podman build --isolation chroot --format docker --force-rm "${ulimits[@]}" "${build_args[@]}" \
    -t "$image" . >"$work/build.log" 2>&1; then
  pass "image built in $(seconds_since "$started") s, $(podman image inspect --format '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1 / 1e6}')"
  grep -E '^ccache hits:' "$work/build.log" | sed 's/^/  /'
else
  tail -40 "$work/build.log"
  fail "podman build"
  finish
fi

# --- run it ---
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
data="$work/data"
mkdir -p "$data"
endpoint="http://127.0.0.1:$port"
# Read-gated job timing: the SDK tests see EXTENDING and CONNECTOR_DELETING
# without depending on the clock.
read_gated=(--job-seconds kafka.enable_connector=reads:3 --job-seconds kafka.disable_connector=reads:3)

# Starts container $1 listening on port $2 with the demo seed; the other
# arguments are podman run options, the image and serve flags. Without systemd,
# podman says it cannot set up the periodic health check timer; `podman
# healthcheck run` works all the same.
start_container() {
  local name=$1 port=$2
  shift 2
  "${podman_run[@]}" run -d --name "$name" --network host "${ulimits[@]}" \
    -e "CONNECTPLANE_LISTEN=0.0.0.0:$port" -e CONNECTPLANE_DEMO_SEED=1 "$@" \
    >/dev/null 2>"$work/run-$name.log" && return
  cat "$work/run-$name.log"
  return 1
}

# Runs the image's HEALTHCHECK until it passes (deadline 60 s).
wait_healthy() {
  local name=$1 deadline=$(( $(date +%s) + 60 ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    if podman healthcheck run "$name" >/dev/null 2>&1; then return 0; fi
    if [ "$(podman inspect --format '{{.State.Running}}' "$name" 2>/dev/null)" != true ]; then
      break
    fi
    sleep 0.2
  done
  podman logs "$name" 2>&1 | tail -20
  return 1
}

# The SDK suite (phase $1) against the container(s) at $2 [and $3] with admin
# token $4; counts its tests.
run_sdk_phase() {
  local phase=$1 log="$work/sdk-$1.log"
  (cd e2e && CONNECTPLANE_E2E_PHASE="$phase" CONNECTPLANE_E2E_URL="$2" CONNECTPLANE_E2E_URL2="$3" \
    CONNECTPLANE_E2E_ADMIN_TOKEN="$4" node --test --test-concurrency=1 container/ 2>&1) | tee "$log"
  local rc=${PIPESTATUS[0]} sdk_passed sdk_failed
  sdk_passed=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$log" | tail -1)
  sdk_failed=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$log" | tail -1)
  sdk_passed=${sdk_passed:-0}; sdk_failed=${sdk_failed:-0}
  [ "$rc" -ne 0 ] && [ "$sdk_failed" -eq 0 ] && sdk_failed=1
  passed=$((passed + sdk_passed)); failed=$((failed + sdk_failed))
}

# Stops a container with SIGTERM and checks that it exited 0.
stop_container() {
  local name=$1 code
  podman stop -t 10 "$name" >/dev/null 2>&1
  code=$(podman inspect --format '{{.State.ExitCode}}' "$name" 2>/dev/null)
  if [ "$code" = 0 ]; then pass "$name stopped with exit code 0"; else
    podman logs "$name" 2>&1 | tail -10
    fail "$name stopped with exit code ${code:-unknown}"
  fi
}

echo "== run 1: fresh /data volume, demo seed, port $port"
started=$(date +%s%N)
first=connectplane-test-$$-first
containers+=("$first")
start_container "$first" "$port" -v "$data:/data:U" "$image" "${read_gated[@]}" ||
  { fail "podman run"; finish; }
if wait_healthy "$first"; then
  pass "healthy $(( ($(date +%s%N) - started) / 1000000 )) ms after podman run"
else
  fail "$first did not become healthy within 60 s"
  finish
fi
podman logs "$first" >"$work/first.log" 2>&1
if grep -q "^connectplane listening on http://0.0.0.0:$port" "$work/first.log"; then
  pass "listening line printed"
else
  fail "no 'connectplane listening on http://0.0.0.0:$port' line in the logs"
fi
if [ -s "$data/admin-token" ] && grep -q 'generated an admin token' "$work/first.log"; then
  pass "admin token generated in /data/admin-token"
else
  fail "no admin token generated in /data/admin-token"
fi
if grep -qF "$(cat "$data/admin-token" 2>/dev/null || echo no-token)" "$work/first.log"; then
  fail "the admin token appears in the container's logs"
fi
run_sdk_phase before-restart "$endpoint" "" "$(cat "$data/admin-token" 2>/dev/null)"
stop_container "$first"
podman rm "$first" >/dev/null 2>&1

echo "== run 2: a new container on the same /data volume"
second=connectplane-test-$$-second
containers+=("$second")
start_container "$second" "$port" -v "$data:/data:U" "$image" "${read_gated[@]}" ||
  { fail "podman run (second)"; finish; }
if wait_healthy "$second"; then pass "second container healthy"; else
  fail "second container did not become healthy"
  finish
fi
podman logs "$second" >"$work/second.log" 2>&1
if grep -q 'admin token read from /data/admin-token' "$work/second.log"; then
  pass "admin token kept on the volume"
else
  fail "the second container did not reuse /data/admin-token"
fi
run_sdk_phase after-restart "$endpoint" "" "$(cat "$data/admin-token" 2>/dev/null)"
stop_container "$second"

# compose.yaml's replica set, without the postgres:15 image no registry serves
# here: a throwaway cluster from Debian's PostgreSQL (scripts/with-postgres.sh,
# kept up until $work/pg-stop appears) and two containers on its database with
# one admin token.
echo "== run 3: two containers on one PostgreSQL database"
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  fail "PostgreSQL server binaries not found (install-deps.sh --e2e installs postgresql-15)"
  finish
fi
./scripts/with-postgres.sh bash -c 'echo "$CONNECTPLANE_TEST_POSTGRES_DSN" >"$1.tmp" && mv "$1.tmp" "$1"
  for _ in $(seq 1 9000); do [ -e "$2" ] && break; sleep 0.2; done' with-postgres "$work/pg-dsn" "$work/pg-stop" \
  >"$work/pg.log" 2>&1 &
pg_pid=$!
for _ in $(seq 1 300); do [ -s "$work/pg-dsn" ] || ! kill -0 "$pg_pid" 2>/dev/null && break; sleep 0.2; done
if [ ! -s "$work/pg-dsn" ]; then
  cat "$work/pg.log"
  fail "throwaway PostgreSQL cluster did not start"
  finish
fi
replica_token=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
replica_endpoints=()
replicas_healthy=1
for replica in 1 2; do
  replica_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  name=connectplane-test-$$-replica-$replica
  containers+=("$name")
  replica_endpoints+=("http://127.0.0.1:$replica_port")
  start_container "$name" "$replica_port" -e "CONNECTPLANE_DB=$(cat "$work/pg-dsn")" \
    -e "CONNECTPLANE_ADMIN_TOKEN=$replica_token" "$image" --job-seconds 0 || replicas_healthy=0
done
for replica in 1 2; do
  wait_healthy "connectplane-test-$$-replica-$replica" || replicas_healthy=0
done
if [ "$replicas_healthy" = 1 ]; then
  pass "two replicas on PostgreSQL healthy"
  run_sdk_phase replicas "${replica_endpoints[0]}" "${replica_endpoints[1]}" "$replica_token"
  for replica in 1 2; do stop_container "connectplane-test-$$-replica-$replica"; done
else
  fail "the replicas on PostgreSQL did not become healthy"
fi
touch "$work/pg-stop"
wait "$pg_pid"
pg_pid=
finish
