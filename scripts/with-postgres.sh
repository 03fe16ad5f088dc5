#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL 15 cluster:
#
#   scripts/with-postgres.sh COMMAND [ARGS...]
#
# initdb in a temp dir (--no-sync: the cluster dies with the run anyway),
# postgres on a free loopback port (Unix socket in the temp dir too), fsync and
# synchronous_commit on, one database "connectplane".
# Exports CONNECTPLANE_TEST_POSTGRES_DSN (and CONNECTPLANE_TEST_POSTGRES_CTL
# for tests that restart the server: "$CONNECTPLANE_TEST_POSTGRES_CTL stop|start"),
# runs the command, then stops the cluster and removes the directory, whatever
# the command's outcome. Exits with the command's status.
#
# When CONNECTPLANE_TEST_POSTGRES_DSN is already set, the command runs against
# that server instead and nothing is started. Works as root: the server runs as
# the "postgres" user (created by Debian's postgresql packages).
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi
if [ -n "${CONNECTPLANE_TEST_POSTGRES_DSN:-}" ]; then
  exec "$@"
fi

pg_bin=${PG_BIN:-}
if [ -z "$pg_bin" ]; then
  for candidate in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    if [ -x "$candidate/postgres" ]; then pg_bin=$candidate; break; fi
  done
fi
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  echo "with-postgres: PostgreSQL server binaries not found (apt-get install postgresql-15)" >&2
  exit 2
fi

# Run the server as an unprivileged user: postgres refuses to run as root.
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  if ! id postgres >/dev/null 2>&1; then
    echo "with-postgres: running as root needs the 'postgres' user (apt-get install postgresql-15)" >&2
    exit 2
  fi
  as_owner=(runuser -u postgres --)
fi

work_dir=$(mktemp -d /tmp/connectplane-pg.XXXXXX)
chmod 755 "$work_dir"
data_dir=$work_dir/data
socket_dir=$work_dir/socket
mkdir -p "$data_dir" "$socket_dir"
[ ${#as_owner[@]} -gt 0 ] && chown -R postgres: "$work_dir"

cleanup() {
  local rc=$?
  if [ -f "$data_dir/postmaster.pid" ]; then
    "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$data_dir" -m immediate -w -t 20 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$work_dir"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

"${as_owner[@]}" "$pg_bin/initdb" -D "$data_dir" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
  --no-instructions >"$work_dir/initdb.log" 2>&1 || {
  cat "$work_dir/initdb.log" >&2
  exit 1
}

port=$(free_port)
# Settings live in the cluster so a restart (pg_ctl start) keeps them.
cat >>"$data_dir/postgresql.conf" <<EOF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$socket_dir'
fsync = on
synchronous_commit = on
max_connections = 100
shared_buffers = 32MB
log_min_messages = warning
EOF
[ ${#as_owner[@]} -gt 0 ] && chown postgres: "$data_dir/postgresql.conf"

# pg_ctl start waits (-w) with its own deadline (-t) for the server to accept
# connections; the log stays in the temp dir for post-mortems.
start_server() {
  "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$data_dir" -l "$work_dir/postgres.log" -w -t 30 start >/dev/null || {
    echo "with-postgres: server did not start; log:" >&2
    tail -n 30 "$work_dir/postgres.log" >&2 || true
    return 1
  }
}
start_server

"${as_owner[@]}" "$pg_bin/psql" -h "$socket_dir" -p "$port" -U postgres -d postgres -qAt \
  -c "CREATE DATABASE connectplane" >/dev/null

# A tiny control script for tests that need to stop/start the server.
ctl=$work_dir/pgctl
cat >"$ctl" <<EOF
#!/usr/bin/env bash
# usage: pgctl stop|start|restart|status (immediate stop = crash-like)
set -euo pipefail
case "\${1:-}" in
  stop) ${as_owner[*]} "$pg_bin/pg_ctl" -D "$data_dir" -m immediate -w -t 20 stop >/dev/null ;;
  start) ${as_owner[*]} "$pg_bin/pg_ctl" -D "$data_dir" -l "$work_dir/postgres.log" -w -t 30 start >/dev/null ;;
  restart) ${as_owner[*]} "$pg_bin/pg_ctl" -D "$data_dir" -l "$work_dir/postgres.log" -m immediate -w -t 30 restart >/dev/null ;;
  status) ${as_owner[*]} "$pg_bin/pg_ctl" -D "$data_dir" status ;;
  *) echo "usage: \$0 stop|start|restart|status" >&2; exit 2 ;;
esac
EOF
chmod 755 "$ctl"

export CONNECTPLANE_TEST_POSTGRES_DSN="postgresql://postgres@127.0.0.1:$port/connectplane"
export CONNECTPLANE_TEST_POSTGRES_CTL=$ctl
echo "with-postgres: PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($work_dir)" >&2

set +e
"$@"
rc=$?
set -e
exit $rc
