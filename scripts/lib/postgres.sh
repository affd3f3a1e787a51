# Throwaway PostgreSQL cluster for tests, the demo and benchmarks. Source this file, then call
# `pg_tmp_start` (exports INSPECTOR_SYNC_TEST_DATABASE_URL, PG_TMP_DIR, PG_TMP_PORT) and make sure
# `pg_tmp_stop` runs on exit (the callers install a trap).
#
# The server refuses to run as root, so as root the cluster is owned by and run as `postgres`.
# Durability is off: this data is disposable, and fsync would dominate test time.

pg_tmp_bindir() {
    local dir
    if command -v pg_config >/dev/null 2>&1; then
        dir="$(pg_config --bindir)"
        if [ -x "$dir/initdb" ]; then echo "$dir"; return 0; fi
    fi
    for dir in /usr/lib/postgresql/*/bin; do
        if [ -x "$dir/initdb" ]; then echo "$dir"; return 0; fi
    done
    echo "postgres.sh: PostgreSQL server binaries (initdb) not found; install postgresql-15" >&2
    return 1
}

pg_tmp_free_port() {
    python3 - <<'PY'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
PY
}

# Runs a command as the cluster owner (postgres when we are root, else ourselves).
pg_tmp_as_owner() {
    if [ "$(id -u)" = "0" ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

pg_tmp_start() {
    local bindir
    bindir="$(pg_tmp_bindir)" || return 1
    PG_TMP_DIR="$(mktemp -d "${TMPDIR:-/tmp}/inspector-sync-pg.XXXXXX")"
    PG_TMP_PORT="$(pg_tmp_free_port)"
    export PG_TMP_DIR PG_TMP_PORT PG_TMP_BINDIR="$bindir"
    mkdir -p "$PG_TMP_DIR/data" "$PG_TMP_DIR/socket"
    if [ "$(id -u)" = "0" ]; then
        chown -R postgres: "$PG_TMP_DIR"
        chmod 700 "$PG_TMP_DIR"
    fi
    pg_tmp_as_owner "$bindir/initdb" -D "$PG_TMP_DIR/data" -U postgres --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 >"$PG_TMP_DIR/initdb.log" 2>&1 || {
        cat "$PG_TMP_DIR/initdb.log" >&2
        return 1
    }
    cat >>"$PG_TMP_DIR/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_TMP_PORT
unix_socket_directories = '$PG_TMP_DIR/socket'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 300
shared_buffers = 256MB
wal_level = logical
max_wal_senders = 4
max_replication_slots = 4
log_min_messages = warning
CONF
    pg_tmp_as_owner "$bindir/pg_ctl" -D "$PG_TMP_DIR/data" -l "$PG_TMP_DIR/server.log" -w -t 60 start \
        >/dev/null || {
        cat "$PG_TMP_DIR/server.log" >&2
        return 1
    }
    export INSPECTOR_SYNC_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$PG_TMP_PORT/postgres"
}

pg_tmp_stop() {
    if [ -n "${PG_TMP_DIR:-}" ] && [ -d "$PG_TMP_DIR/data" ]; then
        pg_tmp_as_owner "$PG_TMP_BINDIR/pg_ctl" -D "$PG_TMP_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
        rm -rf "$PG_TMP_DIR"
    fi
    PG_TMP_DIR=""
}
