#!/usr/bin/env bash
# Starts a throwaway PostgreSQL for tests and benchmarks: its own cluster under a state dir, listening
# only on 127.0.0.1 (no Unix socket outside the state dir), trust auth on loopback, never the system
# cluster. Idempotent: when it already runs, it only rewrites the env file (fast).
#
#   bash deploy/postgres/up.sh          # then: . /tmp/xmppscan-pg/env; echo "$XMPPSCAN_PG_URL"
#   XMPPSCAN_PG_DIR=/tmp/pg2 XMPPSCAN_PG_PORT=55433 bash deploy/postgres/up.sh
#
# Writes $XMPPSCAN_PG_DIR/env (XMPPSCAN_PG_URL, XMPPSCAN_PG_CONNECTION, XMPPSCAN_PG_PID) and
# $XMPPSCAN_PG_DIR/postgres.pid. Prints "started" or "already running" on the last line.
# Durability is off (fsync, synchronous_commit): this cluster holds test data only.
set -euo pipefail
. "$(dirname "$0")/common.sh"

write_env() {
  local pid; pid=$(head -n 1 "$pg_data/postmaster.pid")
  echo "$pid" > "$pg_dir/postgres.pid"
  cat > "$pg_dir/env.tmp" <<ENV
XMPPSCAN_PG_URL=postgres://postgres@$pg_host:$pg_port/$pg_db
XMPPSCAN_PG_CONNECTION='Host=$pg_host;Port=$pg_port;Username=postgres;Database=$pg_db'
XMPPSCAN_PG_PID=$pid
XMPPSCAN_PG_DIR=$pg_dir
ENV
  mv "$pg_dir/env.tmp" "$pg_dir/env"
}

if pg_running; then
  write_env
  echo "already running"
  exit 0
fi

mkdir -p "$pg_dir"
chown "$pg_user" "$pg_dir" 2>/dev/null || true
chmod 0755 "$pg_dir"

if [ ! -f "$pg_data/PG_VERSION" ]; then
  rm -rf "$pg_data"
  as_owner "$pg_bin/initdb" -D "$pg_data" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=trust --no-instructions >"$pg_dir/initdb.log" 2>&1 \
    || { cat "$pg_dir/initdb.log" >&2; exit 1; }
  # Only loopback may connect, and without a password (initdb's trust lines are local, 127.0.0.1/32, ::1/128).
  cat >> "$pg_data/postgresql.conf" <<CONF
# deploy/postgres/up.sh
listen_addresses = '$pg_host'
port = $pg_port
unix_socket_directories = '$pg_dir'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 128MB
log_min_messages = warning
CONF
fi

# A stale postmaster.pid from a killed server would make pg_ctl refuse to start.
if [ -f "$pg_data/postmaster.pid" ]; then
  stale=$(head -n 1 "$pg_data/postmaster.pid")
  if ! kill -0 "$stale" 2>/dev/null; then rm -f "$pg_data/postmaster.pid"; fi
fi

# Read at start: a CIDR of namespaces we created ourselves (deploy/netlab), never a real network.
if [ -n "${XMPPSCAN_PG_EXTRA_TRUST:-}" ]; then
  line="host all all $XMPPSCAN_PG_EXTRA_TRUST trust"
  grep -qxF "$line" "$pg_data/pg_hba.conf" || echo "$line" >> "$pg_data/pg_hba.conf"
fi

# -o: the command-line port wins over the config file, so XMPPSCAN_PG_PORT can change between runs.
# Keepalives: a scan node cut off (or killed while cut off) in the middle of a journal transaction leaves its backend
# holding the row locks of the events it inserted; a survivor persisting the same sequence number of that target then
# waits on the lock until the server notices the client is gone — 2 h with the kernel's default keepalive
# (RegionLabTests' 60 s partition hit it after the swap to Akka.Persistence.Sql, which writes in a transaction).
# Probing an idle client after 10 s (3 probes 5 s apart) frees them within ~25 s. A production cluster needs the same.
as_owner "$pg_bin/pg_ctl" -D "$pg_data" -l "$pg_log" -w -t 60 \
  -o "-p $pg_port -c listen_addresses=$pg_listen -c unix_socket_directories=$pg_dir -c tcp_keepalives_idle=10 -c tcp_keepalives_interval=5 -c tcp_keepalives_count=3" start >/dev/null \
  || { tail -n 30 "$pg_log" >&2; exit 1; }

for _ in $(seq 1 100); do pg_running && break; sleep 0.1; done
pg_running || { echo "postgres did not become ready" >&2; tail -n 30 "$pg_log" >&2; exit 1; }

exists=$("$pg_bin/psql" -h "$pg_host" -p "$pg_port" -U postgres -d postgres -tAc \
  "SELECT 1 FROM pg_database WHERE datname = '$pg_db'")
[ "$exists" = 1 ] || "$pg_bin/createdb" -h "$pg_host" -p "$pg_port" -U postgres "$pg_db"

write_env
echo "started"
