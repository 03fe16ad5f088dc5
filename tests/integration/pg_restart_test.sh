#!/usr/bin/env bash
# Runs tests/integration/pg_restart_test.py (see its docstring) against the binary
# in ${CONNECTPLANE_BUILD_DIR:-build}, starting a throwaway PostgreSQL cluster
# with scripts/with-postgres.sh unless CONNECTPLANE_TEST_POSTGRES_DSN is set.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export CONNECTPLANE_BIN=${CONNECTPLANE_BIN:-$root/${CONNECTPLANE_BUILD_DIR:-build}/src/main/connectplane}
if [ -z "${CONNECTPLANE_TEST_POSTGRES_DSN:-}" ]; then
  exec "$root/scripts/with-postgres.sh" "$0" "$@"
fi
exec python3 "$here/pg_restart_test.py" "$@"
