#!/usr/bin/env bash
# Starts a local XmppScanCluster on PostgreSQL: a throwaway PostgreSQL (deploy/postgres/up.sh) and N scan
# node processes (`xmppscan node`) that lease shards from it. Plan a census against it with
#   dotnet "$XMPPSCAN_DLL" census --targets FILE --no-node --store "$XMPPSCAN_PG_URL" ...
#
#   bash deploy/cluster/up.sh                      # 3 nodes, region "default"
#   CLUSTER_NODES=5 CLUSTER_REGION=eu NODE_ARGS="--lease-seconds 10" bash deploy/cluster/up.sh
#   bash deploy/cluster/up.sh --add 2              # two more nodes on a running cluster
#
# Environment: CLUSTER_DIR (/tmp/xmppscan-cluster: pids/, logs/, env), CLUSTER_NODES (3), CLUSTER_REGION
# (default), NODE_ARGS (extra node options), XMPPSCAN_DLL (the built xmppscan.dll; default: this checkout's
# Release build), XMPPSCAN_PG_DIR / XMPPSCAN_PG_PORT (default $CLUSTER_DIR/pg and 55490); NODE_WRAPPER (a command
# that execs the node, keeping its PID: `bash deploy/netlab/netlab.sh exec RUN HOST` starts it in a netlab host) and
# NODE_STORE (the store URL those nodes use; default XMPPSCAN_PG_URL). Other XMPPSCAN_PG_* go to deploy/postgres.
# Writes $CLUSTER_DIR/env (XMPPSCAN_PG_URL, XMPPSCAN_DLL, CLUSTER_DIR) and pids/node-K.pid ("pid starttime").
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cluster_dir=${CLUSTER_DIR:-/tmp/xmppscan-cluster}
nodes=${CLUSTER_NODES:-3}
region=${CLUSTER_REGION:-default}
dll=${XMPPSCAN_DLL:-$root/src/Coordinator/bin/Release/net10.0/xmppscan.dll}
export XMPPSCAN_PG_DIR=${XMPPSCAN_PG_DIR:-$cluster_dir/pg}
export XMPPSCAN_PG_PORT=${XMPPSCAN_PG_PORT:-55490}

add_only=0
if [ "${1:-}" = "--add" ]; then add_only=1; nodes=${2:?--add needs a count}; fi

[ -f "$dll" ] || { echo "up.sh: $dll not found; build with: dotnet build src/Coordinator -c Release" >&2; exit 1; }
mkdir -p "$cluster_dir/pids" "$cluster_dir/logs"

if [ "$add_only" = 0 ]; then
  bash "$root/deploy/postgres/up.sh" >/dev/null
fi
. "$XMPPSCAN_PG_DIR/env"
cat > "$cluster_dir/env" <<ENV
XMPPSCAN_PG_URL=$XMPPSCAN_PG_URL
XMPPSCAN_PG_DIR=$XMPPSCAN_PG_DIR
XMPPSCAN_PG_PORT=$XMPPSCAN_PG_PORT
XMPPSCAN_DLL=$dll
CLUSTER_DIR=$cluster_dir
ENV

first=$(( $(ls "$cluster_dir/pids" | grep -c '^node-' || true) + 1 ))
for k in $(seq "$first" $((first + nodes - 1))); do
  id="node-$region-$k"
  # shellcheck disable=SC2086 # NODE_WRAPPER is a command, NODE_ARGS a list of options
  setsid nohup ${NODE_WRAPPER:-} dotnet "$dll" node --store "${NODE_STORE:-$XMPPSCAN_PG_URL}" --region "$region" --node-id "$id" ${NODE_ARGS:-} \
    >"$cluster_dir/logs/$id.out" 2>"$cluster_dir/logs/$id.log" </dev/null &
  pid=$!
  echo "$pid $(awk '{print $22}' "/proc/$pid/stat")" > "$cluster_dir/pids/node-$k.pid"
  echo "node $id pid $pid"
done
echo "cluster up: $XMPPSCAN_PG_URL, $(ls "$cluster_dir/pids" | grep -c '^node-') nodes"
