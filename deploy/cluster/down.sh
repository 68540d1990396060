#!/usr/bin/env bash
# Stops the nodes deploy/cluster/up.sh started (exactly the recorded PIDs, checked by start time: TERM so they
# give their leases back, KILL after 10 s), then its PostgreSQL. --purge also deletes $CLUSTER_DIR.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cluster_dir=${CLUSTER_DIR:-/tmp/xmppscan-cluster}
export XMPPSCAN_PG_DIR=${XMPPSCAN_PG_DIR:-$cluster_dir/pg}
export XMPPSCAN_PG_PORT=${XMPPSCAN_PG_PORT:-55490}
purge=0
[ "${1:-}" = "--purge" ] && purge=1

alive() { # pid starttime
  [ -r "/proc/$1/stat" ] && [ "$(awk '{print $22}' "/proc/$1/stat" 2>/dev/null)" = "$2" ] \
    && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != "Z" ]
}

pids=()
for f in "$cluster_dir"/pids/node-*.pid; do
  [ -e "$f" ] || continue
  read -r pid start < "$f"
  if alive "$pid" "$start"; then kill -TERM "$pid" 2>/dev/null || true; pids+=("$pid $start"); fi
  rm -f "$f"
done
for _ in $(seq 100); do
  left=0
  for p in "${pids[@]+"${pids[@]}"}"; do read -r pid start <<< "$p"; alive "$pid" "$start" && left=1; done
  [ "$left" = 0 ] && break
  sleep 0.1
done
for p in "${pids[@]+"${pids[@]}"}"; do read -r pid start <<< "$p"; alive "$pid" "$start" && kill -KILL "$pid" 2>/dev/null || true; done

if [ -d "$XMPPSCAN_PG_DIR" ]; then
  if [ "$purge" = 1 ]; then bash "$root/deploy/postgres/down.sh" --purge >/dev/null; else bash "$root/deploy/postgres/down.sh" >/dev/null; fi
fi
if [ "$purge" = 1 ]; then rm -rf "$cluster_dir"; fi
true
echo "cluster down"
