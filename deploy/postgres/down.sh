#!/usr/bin/env bash
# Stops exactly the PostgreSQL that deploy/postgres/up.sh started for this state dir (pg_ctl -D, fast
# shutdown); no other server is touched. --purge also deletes the state dir.
#
#   bash deploy/postgres/down.sh [--purge]
set -euo pipefail
. "$(dirname "$0")/common.sh"

if [ -f "$pg_data/postmaster.pid" ] && kill -0 "$(head -n 1 "$pg_data/postmaster.pid")" 2>/dev/null; then
  as_owner "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w -t 60 stop >/dev/null
  echo "stopped"
else
  echo "not running"
fi
rm -f "$pg_dir/postgres.pid"

if [ "${1:-}" = "--purge" ]; then
  case "$pg_dir" in /|/tmp|/tmp/) echo "refusing to purge $pg_dir" >&2; exit 2 ;; esac
  rm -rf "$pg_dir"
  echo "purged $pg_dir"
fi
