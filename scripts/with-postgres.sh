#!/usr/bin/env bash
# Usage: scripts/with-postgres.sh CMD [ARG…]
#
# Runs CMD with a throwaway PostgreSQL cluster (Debian's server binaries under
# /usr/lib/postgresql/*/bin) listening on 127.0.0.1 on a free port and on a unix socket in its
# temporary directory, with trust authentication and an empty database `weft_test`. CMD sees
# WEFT_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:PORT/weft_test. The cluster is stopped and
# its directory removed however CMD ends; the script exits with CMD's status.
# Durability is off (fsync, synchronous_commit, full_page_writes): the data is thrown away anyway.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 CMD [ARG...]" >&2
    exit 2
fi

bindir=""
for candidate in /usr/lib/postgresql/*/bin; do
    if [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then
        bindir="$candidate"
    fi
done
if [ -z "$bindir" ]; then
    echo "with-postgres: no PostgreSQL server found under /usr/lib/postgresql/*/bin;" \
        "install Debian's 'postgresql' package (the setup script does)" >&2
    exit 1
fi

# PostgreSQL refuses to run as root: as root, run the server tools as the `postgres` user.
if [ "$(id -u)" -eq 0 ]; then
    if ! id postgres >/dev/null 2>&1; then
        echo "with-postgres: running as root but there is no 'postgres' user to run the server as" >&2
        exit 1
    fi
    as_pg() { runuser -u postgres -- "$@"; }
else
    as_pg() { "$@"; }
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/weft-pg.XXXXXX")"
chmod 700 "$tmp"
if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$tmp"
fi
data="$tmp/data"
log="$tmp/server.log"

cleanup() {
    if [ -f "$data/postmaster.pid" ]; then
        as_pg "$bindir/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

as_pg "$bindir/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$tmp/initdb.log" 2>&1 || {
    cat "$tmp/initdb.log" >&2
    exit 1
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null ||
        echo $((20000 + RANDOM % 30000))
}

started=""
for _ in 1 2 3 4 5; do
    port="$(free_port)"
    if as_pg "$bindir/pg_ctl" -D "$data" -l "$log" -w -t 60 -o "-c listen_addresses=127.0.0.1 -p $port -k $tmp \
        -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=500 \
        -c shared_buffers=128MB" start >/dev/null 2>&1; then
        started=yes
        break
    fi
done
if [ -z "$started" ]; then
    echo "with-postgres: the server did not start; its log:" >&2
    cat "$log" >&2 || true
    exit 1
fi

as_pg "$bindir/createdb" -h "$tmp" -p "$port" -U postgres weft_test

export WEFT_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/weft_test"
echo "with-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') at $WEFT_TEST_POSTGRES_URL" >&2

set +e
"$@"
status=$?
set -e
exit "$status"
