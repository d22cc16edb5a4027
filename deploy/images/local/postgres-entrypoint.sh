#!/bin/bash
# The official postgres image's start, the part Kinerja uses: a new PGDATA is initialised for
# POSTGRES_USER (password POSTGRES_PASSWORD, database POSTGRES_DB) and /docker-entrypoint-initdb.d/
# runs once against a server on the socket only; then the server listens on every address.
set -euo pipefail
[[ ${1:-postgres} == postgres ]] && shift || true
[[ ${1:-} == -* || -z ${1:-} ]] || exec "$@"
user="${POSTGRES_USER:-postgres}"
export PGUSER="$user"
if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
    [[ -n ${POSTGRES_PASSWORD:-} ]] || { echo "docker-entrypoint.sh: POSTGRES_PASSWORD is required" >&2; exit 1; }
    pwfile=$(mktemp)
    printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
    initdb -D "$PGDATA" --username="$user" --pwfile="$pwfile" -E UTF8 --no-locale --auth-local=trust --auth-host=scram-sha-256 >/dev/null
    rm -f "$pwfile"
    echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
    pg_ctl -D "$PGDATA" -w -o "-c listen_addresses='' -k /var/run/postgresql" start >/dev/null
    db="${POSTGRES_DB:-$user}"
    if [[ $db != postgres ]]; then
        psql -h /var/run/postgresql -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE \"$db\"" >/dev/null
    fi
    for f in /docker-entrypoint-initdb.d/*; do
        case "$f" in
            *.sql) echo "docker-entrypoint.sh: running $f"; psql -h /var/run/postgresql -v ON_ERROR_STOP=1 -d "$db" -f "$f" ;;
            *.sh) echo "docker-entrypoint.sh: sourcing $f"; . "$f" ;;
        esac
    done
    pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
    echo "docker-entrypoint.sh: PostgreSQL init process complete; ready for start up."
fi
exec postgres -D "$PGDATA" -c listen_addresses='*' -k /var/run/postgresql "$@"
