# Part kill (sourced by run.sh): deploy/cluster/up.sh (3 nodes, --targets-in-flight 2, PostgreSQL), a census of the
# testbed planned with --no-node (depth session, --spacing 3 so targets stay in flight for seconds); once a target is
# done, kill -9 of a node that has a target started and not completed. At --spacing 1 a stress run's census finished
# in 3 s, between two polls of this script: a census that completes before a victim is seen is planned again (at most
# three times). Measured from the kill: the first event of those targets written by a survivor (its shard runs again),
# and the last of them completed, as this script sees them (polled every 0.2 s). A fresh cluster per repetition.
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
  completed="manifest like 'target\_scan\_completed.%'"
  open="not exists (select 1 from event_journal c where c.persistence_id = j.persistence_id and c.$completed)"
  victim=""
  for attempt in 1 2 3; do
    name="kill-$(date +%s)-$run-$attempt"
    dotnet "$dll" census --targets "$work/targets.txt" --store "$XMPPSCAN_PG_URL" --no-node --name "$name" --depth session \
      --spacing 3 "${common[@]}" >"$work/plan.log" 2>&1 || { cat "$work/plan.log" >&2; exit 1; }
    census=$(sql "select census_id from census where name = '$name'")
    # Target events are Akka.Persistence.Sql's (migration 0005): one stream per target, persistence id
    # target-{census:N}-{stream:N}, the event type in the serializer manifest (type.vN), the writing node in a node:ID tag.
    streams="persistence_id like 'target-${census//-/}-%'"
    for _ in $(seq 900); do
      # The nodes create the journal tables on their first event: until then the query fails, and nothing is done.
      done_n=$(sql "select count(distinct persistence_id) from event_journal where $streams and $completed" 2>/dev/null || echo 0)
      if [ "$done_n" -ge 1 ]; then
        victim=$(sql "select substr(t.tag, 6) from event_journal j join event_tag t on t.ordering_id = j.ordering
          where j.$streams and t.tag like 'node:%' and $open limit 1")
        [ -n "$victim" ] && break
        [ "$done_n" -ge "$kill_total" ] && break # completed between two polls: plan it again
      fi
      sleep 0.2
    done
    [ -n "$victim" ] && break
  done
  [ -n "$victim" ] || { echo "run.sh: no node with a target in flight in three censuses" >&2; exit 1; }
  read -r pid _ < "$CLUSTER_DIR/pids/node-${victim##*-}.pid"
  kill -9 "$pid"
  killed_ms=$(date +%s%3N)
  open_streams=$(sql "select string_agg(distinct quote_literal(j.persistence_id), ',') from event_journal j
    join event_tag t on t.ordering_id = j.ordering where j.$streams and t.tag = 'node:$victim' and $open")
  n_open=$(tr ',' '\n' <<<"$open_streams" | grep -c .)
  # Times as this script sees them (polled every 0.2 s): the journal's own timestamps differ by mapping and engine.
  first=0; last=0; completed_n=0
  for _ in $(seq 1500); do
    read -r survivor_events completed_n < <(sql "select count(*) filter (where t.tag <> 'node:$victim'),
      count(distinct j.persistence_id) filter (where j.$completed)
      from event_journal j join event_tag t on t.ordering_id = j.ordering
      where t.tag like 'node:%' and j.persistence_id in ($open_streams)")
    [ "$first" = 0 ] && [ "${survivor_events:-0}" -gt 0 ] && first=$(date +%s%3N)
    if [ "$completed_n" = "$n_open" ]; then last=$(date +%s%3N); break; fi
    sleep 0.2
  done
  [ "$completed_n" = "$n_open" ] || { echo "run.sh: the killed node's targets did not complete on a survivor in 300 s" >&2; exit 1; }
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
