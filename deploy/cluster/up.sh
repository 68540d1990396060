#!/usr/bin/env bash
# Starts a local XmppScanCluster on PostgreSQL: a throwaway PostgreSQL (deploy/postgres/up.sh) and N scan
# node processes (`xmppscan node`) forming one Akka cluster for their region (node K listens on
# CLUSTER_HOST:CLUSTER_PORT+K-1; nodes 1 and 2 are the seeds). Plan a census against it with
#   dotnet "$XMPPSCAN_DLL" census --targets FILE --no-node --store "$XMPPSCAN_PG_URL" ...
#
#   bash deploy/cluster/up.sh                      # 3 nodes, region "default"
#   CLUSTER_NODES=5 CLUSTER_REGION=eu NODE_ARGS="--targets-in-flight 8" bash deploy/cluster/up.sh
#   bash deploy/cluster/up.sh --add 2              # two more nodes on a running cluster
#
# Environment: CLUSTER_DIR (/tmp/xmppscan-cluster: pids/, logs/, env), CLUSTER_NODES (3), CLUSTER_REGION
# (default), CLUSTER_HOST (127.0.0.1), CLUSTER_PORT (25520), NODE_ARGS (extra node options; with fewer than 3
# nodes pass --split-brain keep-oldest), XMPPSCAN_DLL (the built xmppscan.dll; default: this checkout's
# Release build), XMPPSCAN_PG_DIR / XMPPSCAN_PG_PORT (default $CLUSTER_DIR/pg and 55490); NODE_WRAPPER (a command
# that execs the node, keeping its PID: `bash deploy/netlab/netlab.sh exec RUN HOST` starts it in a netlab host) and
# NODE_STORE (the store URL those nodes use; default XMPPSCAN_PG_URL); NODE_HOSTNAME (the address these nodes listen on,
# e.g. a netlab host's own; default CLUSTER_HOST) and CLUSTER_SEEDS (HOST:PORT,… they join; default nodes 1 and 2 on
# CLUSTER_HOST). Other XMPPSCAN_PG_* go to deploy/postgres.
# Returns once every node it started is a member of its cluster (CLUSTER_UP_TIMEOUT seconds at most, default 180).
# Writes $CLUSTER_DIR/env (XMPPSCAN_PG_URL, XMPPSCAN_DLL, CLUSTER_DIR) and pids/node-K.pid ("pid starttime").
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cluster_dir=${CLUSTER_DIR:-/tmp/xmppscan-cluster}
nodes=${CLUSTER_NODES:-3}
region=${CLUSTER_REGION:-default}
host=${CLUSTER_HOST:-127.0.0.1}
base_port=${CLUSTER_PORT:-25520}
node_host=${NODE_HOSTNAME:-$host}
seeds=${CLUSTER_SEEDS:-$host:$base_port,$host:$((base_port + 1))}
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
CLUSTER_HOST=$host
CLUSTER_PORT=$base_port
ENV

started=()
first=$(( $(ls "$cluster_dir/pids" | grep -c '^node-' || true) + 1 ))
for k in $(seq "$first" $((first + nodes - 1))); do
  id="node-$region-$k"
  # shellcheck disable=SC2086 # NODE_WRAPPER is a command, NODE_ARGS a list of options
  setsid nohup ${NODE_WRAPPER:-} dotnet "$dll" node --store "${NODE_STORE:-$XMPPSCAN_PG_URL}" --region "$region" --node-id "$id" \
    --hostname "$node_host" --port $((base_port + k - 1)) --seeds "$seeds" ${NODE_ARGS:-} \
    >"$cluster_dir/logs/$id.out" 2>"$cluster_dir/logs/$id.log" </dev/null &
  pid=$!
  echo "$pid $(awk '{print $22}' "/proc/$pid/stat")" > "$cluster_dir/pids/node-$k.pid"
  echo "node $id pid $pid"
  started+=("$id $pid")
done

# "Up" means member of the cluster, not a started process: a census planned before the others have joined runs on the
# first seed alone, and if that node dies before they join, they can never form the cluster (only the first seed may
# start one). So wait for each node's "up in cluster" line (ScanClusterNode logs it on MemberUp).
deadline=$((SECONDS + ${CLUSTER_UP_TIMEOUT:-180}))
for entry in "${started[@]}"; do
  read -r id pid <<< "$entry"
  until grep -q "up in cluster" "$cluster_dir/logs/$id.log" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "up.sh: node $id exited before joining the cluster; its log:" >&2; tail -n 20 "$cluster_dir/logs/$id.log" >&2; exit 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "up.sh: node $id did not join the cluster within ${CLUSTER_UP_TIMEOUT:-180} s; its log:" >&2
      tail -n 20 "$cluster_dir/logs/$id.log" >&2; exit 1
    fi
    sleep 0.2
  done
done
echo "cluster up: $XMPPSCAN_PG_URL, $(ls "$cluster_dir/pids" | grep -c '^node-') nodes, ${#started[@]} joined now"
