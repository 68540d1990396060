# Shared settings for deploy/postgres/up.sh and down.sh. Sourced, not run.
#   XMPPSCAN_PG_DIR   state dir (data/, log, pid, env)   default /tmp/xmppscan-pg
#   XMPPSCAN_PG_PORT  TCP port on 127.0.0.1               default 55432
#   XMPPSCAN_PG_DB    database created for the project    default xmppscan
#   XMPPSCAN_PG_BIN   PostgreSQL binaries                 default /usr/lib/postgresql/15/bin
#   XMPPSCAN_PG_EXTRA_LISTEN  one more address to listen on (deploy/netlab: reachable from its namespaces)
#   XMPPSCAN_PG_EXTRA_TRUST   a CIDR trusted like loopback (deploy/netlab: its hosts' 198.19.0.0/16)
pg_dir=${XMPPSCAN_PG_DIR:-/tmp/xmppscan-pg}
pg_port=${XMPPSCAN_PG_PORT:-55432}
pg_db=${XMPPSCAN_PG_DB:-xmppscan}
pg_bin=${XMPPSCAN_PG_BIN:-/usr/lib/postgresql/15/bin}
pg_host=127.0.0.1
pg_listen=$pg_host${XMPPSCAN_PG_EXTRA_LISTEN:+,$XMPPSCAN_PG_EXTRA_LISTEN}
pg_data="$pg_dir/data"
pg_log="$pg_dir/postgres.log"

case "$pg_port" in ''|*[!0-9]*) echo "XMPPSCAN_PG_PORT must be a number, got '$pg_port'" >&2; exit 2 ;; esac
[ "$pg_port" != 5432 ] || { echo "refusing the default port 5432 (the system cluster's)" >&2; exit 2; }
[ -x "$pg_bin/pg_ctl" ] || { echo "$pg_bin/pg_ctl not found (Debian package postgresql)" >&2; exit 1; }

# initdb refuses root: as root, everything runs as the 'postgres' OS user, which owns the state dir.
if [ "$(id -u)" -eq 0 ]; then
  pg_user=postgres
  as_owner() { runuser -u "$pg_user" -- "$@"; }
else
  pg_user=$(id -un)
  as_owner() { "$@"; }
fi

# True when our postmaster (by the PID it recorded) is alive and accepts connections.
pg_running() {
  [ -f "$pg_data/postmaster.pid" ] || return 1
  local pid; pid=$(head -n 1 "$pg_data/postmaster.pid" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  "$pg_bin/pg_isready" -q -h "$pg_host" -p "$pg_port" -d postgres -U postgres
}
