# Part memory (sourced by run.sh): memory per target in flight. The same embedded census of the testbed domains
# (depth full in the full run, session in --smoke; --spacing 0 --max-per-ip 1, a new SQLite store each run) with
# --targets-in-flight 1 and N; peak RSS from /usr/bin/time. Per target: (RSS_N − RSS_1) / (N − 1), an upper bound
# of what a target in flight holds (it includes its connections' buffers and whatever else N targets at once grow:
# the GC heap's headroom, thread pool threads).
testbed
memory_depth=full; [ "$smoke" = 1 ] && memory_depth=session
memory_targets=$work/targets.txt
if [ "$smoke" = 1 ]; then head -n "$in_flight" "$work/targets.txt" > "$work/memory-targets.txt"; memory_targets=$work/memory-targets.txt; fi
memory_domains=$(grep -c . "$memory_targets")
declare -A mem_rss mem_wall
for run in $(seq "$runs"); do
  for n in 1 "$in_flight"; do
    rm -f "$work/memory.db"*
    /usr/bin/time -f "%e %M" -o "$work/time" dotnet "$dll" census --targets "$memory_targets" --store "sqlite:$work/memory.db" \
      --name "memory-$n-$run" --depth "$memory_depth" --spacing 0 --max-per-ip 1 --targets-in-flight "$n" "${common[@]}" \
      >"$work/memory.out" 2>&1 || { tail -5 "$work/memory.out" >&2; exit 1; }
    grep -q "0 failed of $memory_domains" "$work/memory.out" || { echo "census did not finish every target:" >&2; tail -3 "$work/memory.out" >&2; exit 1; }
    read -r w m < "$work/time"
    mem_rss[$n]+="$m "; mem_wall[$n]+="$w "
  done
done
echo "## Memory per target in flight: census of $memory_domains testbed domains, depth $memory_depth, median of $runs"
echo
echo "| targets in flight | wall s | peak RSS MiB |"
echo "|---|---:|---:|"
for n in 1 "$in_flight"; do
  w=$(tr ' ' '\n' <<<"${mem_wall[$n]}" | grep . | median); m=$(tr ' ' '\n' <<<"${mem_rss[$n]}" | grep . | median)
  echo "| $n | $w | $((m / 1024)) |"
  eval "mem_med_$n=$m"
done
per=$(( (mem_med_${in_flight} - mem_med_1) / (in_flight - 1) ))
echo "| **per target** ((RSS_$in_flight − RSS_1)/$((in_flight - 1))) | | **$per KiB** (goal ≤ 64 KiB) |"
echo
