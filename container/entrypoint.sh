#!/bin/sh
# The container's entrypoint: `connectplane serve` on $CONNECTPLANE_LISTEN
# (0.0.0.0:8080) with its database at $CONNECTPLANE_DB (SQLite on the /data
# volume), the admin API behind a token, and the demo seed when
# CONNECTPLANE_DEMO_SEED=1. Arguments are more `serve` flags; a first argument
# that is not a flag runs that connectplane subcommand instead
# (e.g. `healthcheck`, `--help` goes to serve).
#
# Admin token: $CONNECTPLANE_ADMIN_TOKEN when set; otherwise the one kept in
# $CONNECTPLANE_ADMIN_TOKEN_FILE (/data/admin-token), generated there on the
# first start. It is never printed (logs must not carry secrets); read it with
#   podman exec <container> cat /data/admin-token
set -eu

case "${1:-}" in
  "" | -*) ;;
  serve) shift ;;
  *) exec connectplane "$@" ;;
esac

# Flags given as arguments win over the defaults from the environment.
has_flag() {
  flag=$1
  shift
  for arg in "$@"; do
    case "$arg" in "$flag" | "$flag"=*) return 0 ;; esac
  done
  return 1
}

token_file=${CONNECTPLANE_ADMIN_TOKEN_FILE:-/data/admin-token}
if [ -z "${CONNECTPLANE_ADMIN_TOKEN:-}" ] && ! has_flag --admin-token "$@"; then
  if [ -s "$token_file" ]; then
    CONNECTPLANE_ADMIN_TOKEN=$(cat "$token_file")
    echo "connectplane-entrypoint: admin token read from $token_file" >&2
  else
    CONNECTPLANE_ADMIN_TOKEN=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
    if ! (umask 077 && printf '%s\n' "$CONNECTPLANE_ADMIN_TOKEN" >"$token_file") 2>/dev/null; then
      echo "connectplane-entrypoint: cannot write $token_file as uid $(id -u): mount /data" \
        "writable by uid $(id -u) (podman: -v DIR:/data:U), or set CONNECTPLANE_ADMIN_TOKEN" >&2
      exit 1
    fi
    echo "connectplane-entrypoint: generated an admin token in $token_file" \
      "(read it with: podman exec <container> cat $token_file)" >&2
  fi
  export CONNECTPLANE_ADMIN_TOKEN
fi

set -- serve "$@"
has_flag --listen "$@" || set -- "$@" --listen "${CONNECTPLANE_LISTEN:-0.0.0.0:8080}"
has_flag --db "$@" || set -- "$@" --db "${CONNECTPLANE_DB:-sqlite:/data/connectplane.db}"
if [ "${CONNECTPLANE_DEMO_SEED:-0}" = 1 ] && ! has_flag --seed "$@"; then
  set -- "$@" --seed /usr/share/connectplane/demo-seed.json
fi
exec connectplane "$@"
