#!/usr/bin/env bash
# Start a throwaway PostgreSQL server (for tests and CI) and print its DSN.
#
#   scripts/start-postgres.sh [DIR]      start a cluster in DIR (default: a new temp dir);
#                                        prints postgresql://postgres@127.0.0.1:PORT/postgres
#   scripts/start-postgres.sh stop DIR   stop that server and remove DIR
#
# Needs the server binaries (Debian: apt-get install -y postgresql). Run as root,
# the cluster belongs to the "postgres" user. Exit code 3: binaries not found.
# PG_BIN overrides the directory holding initdb and pg_ctl; PG_PORT the port.
set -euo pipefail

find_bin() {
    local dir
    if [[ -n "${PG_BIN:-}" ]]; then
        if [[ -x "$PG_BIN/initdb" ]]; then echo "$PG_BIN"; return; fi
        echo "PostgreSQL server binaries not found in PG_BIN=$PG_BIN: apt-get install postgresql" >&2
        exit 3
    fi
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -n "$dir" && -x "$dir/initdb" ]]; then echo "$dir"; return; fi
    if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return; fi
    echo "PostgreSQL server binaries not found: apt-get install postgresql" >&2
    exit 3
}

as_owner() {    # run a command as the cluster's owner
    if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

BIN=$(find_bin)

if [[ "${1:-}" == "stop" ]]; then
    DIR=${2:?usage: start-postgres.sh stop DIR}
    if [[ -f "$DIR/data/postmaster.pid" ]]; then
        as_owner "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null
    fi
    rm -rf "$DIR"
    exit 0
fi

DIR=${1:-$(mktemp -d "${TMPDIR:-/tmp}/aliansi-pg.XXXXXX")}
mkdir -p "$DIR"
if [[ $EUID -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || { echo "no 'postgres' user to run the server as" >&2; exit 1; }
    chown postgres "$DIR"
fi
as_owner "$BIN/initdb" -D "$DIR/data" -A trust -U postgres -E UTF8 --no-locale --no-sync \
    >"$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; exit 1; }

# A random free port; retry when another server took it.
for attempt in 1 2 3 4 5; do
    PORT=${PG_PORT:-$((20000 + RANDOM % 20000))}
    if as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 30 \
        -o "-k $DIR -p $PORT -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null; then
        echo "postgresql://postgres@127.0.0.1:$PORT/postgres"
        exit 0
    fi
    [[ -n "${PG_PORT:-}" ]] && break
done
echo "PostgreSQL did not start; server log:" >&2
tail -n 20 "$DIR/server.log" >&2 || true
exit 1
