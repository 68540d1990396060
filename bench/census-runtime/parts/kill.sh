# Part kill (sourced by run.sh): deploy/cluster/up.sh (3 nodes, --targets-in-flight 2, PostgreSQL), a census of the
# testbed planned with --no-node (depth session, --spacing 1 so targets stay in flight for seconds, as
# CensusRunTests' kill test does); once two targets are done, kill -9 of a node that has a target started and not
# completed. Measured from the kill: the first event of those targets written by a survivor (its shard runs again),
# and the last of them completed. Event times are the nodes' own clocks (same machine). A fresh cluster per repetition.
testbed
export CLUSTER_DIR=${CLUSTER_DIR:-/tmp/xmppscan-cluster-runtime-bench} CLUSTER_NODES=3 CLUSTER_HOST=$free_net.0.1
export CLUSTER_PORT=$(( 29400 + ($$ % 200) * 4 )) XMPPSCAN_DLL=$dll NODE_ARGS="--targets-in-flight 2"
kill_total=$(grep -c . "$work/targets.txt")
sql() { psql "$XMPPSCAN_PG_URL" -qAt -F ' ' -c "$1"; }
kill_rows=()
for run in $(seq "$runs"); do
  cluster_up=1
  bash deploy/cluster/up.sh >"$work/cluster-up.log" 2>&1 || { cat "$work/cluster-up.log" >&2; exit 1; }
  # shellcheck disable=SC1091
  source "$CLUSTER_DIR/env"
  name="kill-$(date +%s)-$run"
  dotnet "$dll" census --targets "$work/targets.txt" --store "$XMPPSCAN_PG_URL" --no-node --name "$name" --depth session \
    --spacing 1 "${common[@]}" >"$work/plan.log" 2>&1 || { cat "$work/plan.log" >&2; exit 1; }
  census=$(sql "select census_id from census where name = '$name'")
  victim=""
  for _ in $(seq 900); do
    done_n=$(sql "select count(distinct target_id) from journal where census_id = '$census' and type = 'target_scan_completed'")
    if [ "$done_n" -ge 2 ]; then
      victim=$(sql "select node_id from journal j where census_id = '$census' and not exists (select 1 from journal c
        where c.census_id = j.census_id and c.target_id = j.target_id and c.type = 'target_scan_completed') limit 1")
      [ -n "$victim" ] && break
    fi
    sleep 0.2
  done
  [ -n "$victim" ] || { echo "run.sh: no node with a target in flight after two targets" >&2; exit 1; }
  read -r pid _ < "$CLUSTER_DIR/pids/node-${victim##*-}.pid"
  kill -9 "$pid"
  killed_ms=$(date +%s%3N)
  open_targets=$(sql "select string_agg(distinct quote_literal(target_id::text), ',') from journal j where census_id = '$census'
    and node_id = '$victim' and not exists (select 1 from journal c where c.census_id = j.census_id and c.target_id = j.target_id
    and c.type = 'target_scan_completed')")
  n_open=$(tr ',' '\n' <<<"$open_targets" | grep -c .)
  first=""; last=""
  for _ in $(seq 1500); do
    read -r first completed last < <(sql "select coalesce((extract(epoch from min(occurred_at)) * 1000)::bigint, 0),
      count(distinct target_id) filter (where type = 'target_scan_completed'),
      coalesce((extract(epoch from max(occurred_at) filter (where type = 'target_scan_completed')) * 1000)::bigint, 0)
      from journal where census_id = '$census' and node_id <> '$victim' and target_id::text in ($open_targets)")
    [ "$completed" = "$n_open" ] && break
    sleep 0.2
  done
  [ "$completed" = "$n_open" ] || { echo "run.sh: the killed node's targets did not complete on a survivor in 300 s" >&2; exit 1; }
  kill_rows+=("| $run | $victim | $n_open | $(awk -v a="$first" -v k="$killed_ms" 'BEGIN { printf "%.1f", (a - k) / 1000 }') | $(awk -v a="$last" -v k="$killed_ms" 'BEGIN { printf "%.1f", (a - k) / 1000 }') |")
  bash deploy/cluster/down.sh >/dev/null 2>&1 || true
  cluster_up=0
done
bash deploy/cluster/down.sh --purge >/dev/null 2>&1 || true
echo "## Kill -9 recovery: 3 nodes on PostgreSQL, $kill_total testbed domains, depth session, spacing 1 s"
echo
echo "| run | killed node | its targets in flight | s until their first event on a survivor | s until all of them completed |"
echo "|---|---|---:|---:|---:|"
printf '%s\n' "${kill_rows[@]}"
echo
