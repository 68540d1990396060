# Part startup (sourced by run.sh): process start → the node's "up in cluster" log line, and its RSS at that moment
# (VmRSS) — `xmppscan node` as a one-node cluster on a SQLite store (a census of one domain planned in it), and the embedded `xmppscan census` (one domain,
# its in-process node). Baseline: `xmppscan --version` (the .NET runtime and the CLI, no actor system).
testbed
head -n 1 "$work/targets.txt" > "$work/one.txt"
startup_port=$(( 29000 + $$ % 400 ))
# up_time LOG CMD...: prints "seconds rss_kib" once LOG has "up in cluster", then stops the process (TERM).
up_time() {
  local log=$1; shift
  local t0 pid t1 rss
  t0=$(date +%s%N)
  setsid "$@" >"$log.out" 2>"$log" </dev/null & pid=$!
  for _ in $(seq 2400); do
    if grep -qs "up in cluster" "$log" "$log.node"; then break; fi
    kill -0 "$pid" 2>/dev/null || { echo "run.sh: $* exited before 'up in cluster':" >&2; tail -5 "$log" >&2; exit 1; }
    sleep 0.05
  done
  t1=$(date +%s%N)
  rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  grep -qs "up in cluster" "$log" "$log.node" || { echo "run.sh: no 'up in cluster' in 120 s" >&2; exit 1; }
  echo "$(( (t1 - t0) / 1000000 )) $rss"
}
declare -A up_ms up_rss
for run in $(seq "$runs"); do
  /usr/bin/time -f "%e %M" -o "$work/time" dotnet "$dll" --version >/dev/null 2>&1
  read -r w m < "$work/time"
  up_ms[baseline]+="$(awk -v w="$w" 'BEGIN { printf "%d", w * 1000 }') "; up_rss[baseline]+="$m "
  # The node needs a store: plan a census of one domain into it first (not timed); the node then scans it.
  dotnet "$dll" census --targets "$work/one.txt" --store "sqlite:$work/node-$run.db" --name "node-$run" --no-node \
    --depth session "${common[@]}" >"$work/plan.log" 2>&1 || { cat "$work/plan.log" >&2; exit 1; }
  read -r ms kib < <(up_time "$work/node-$run.log" dotnet "$dll" node --store "sqlite:$work/node-$run.db" --region default \
    --node-id "bench-node-$run" --hostname "$free_net.0.1" --port "$startup_port" --seeds "$free_net.0.1:$startup_port")
  up_ms[node]+="$ms "; up_rss[node]+="$kib "
  read -r ms kib < <(up_time "$work/census-$run.log" dotnet "$dll" census --targets "$work/one.txt" \
    --store "sqlite:$work/census-$run.db" --name "startup-$run" --depth session --log "$work/census-$run.log.node" \
    "${common[@]}")
  up_ms[census]+="$ms "; up_rss[census]+="$kib "
done
echo "## One-node start-up: process start → \"up in cluster\", median of $runs"
echo
echo "| process | start-up s | RSS MiB at up |"
echo "|---|---:|---:|"
for k in baseline node census; do
  ms=$(tr ' ' '\n' <<<"${up_ms[$k]}" | grep . | median); kib=$(tr ' ' '\n' <<<"${up_rss[$k]}" | grep . | median)
  case $k in
    baseline) label="xmppscan --version (no actor system; exit, peak RSS)" ;;
    node) label="xmppscan node (one-node cluster, SQLite store)" ;;
    census) label="xmppscan census (embedded node, SQLite)" ;;
  esac
  awk -v l="$label" -v ms="$ms" -v kib="$kib" 'BEGIN { printf "| %s | %.2f | %d |\n", l, ms / 1000, kib / 1024 }'
done
echo
