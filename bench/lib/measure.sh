# shellcheck shell=bash
# measure DIR IFACE ADDRESS PORT CMD...: runs CMD (optionally prefixed by $MEASURE_PREFIX, e.g. ip netns exec
# NS) while tcpdump captures the SYN/FIN/RST segments between this host and ADDRESS:PORT on IFACE. Writes
# DIR/capture.pcap, DIR/stdout, DIR/stderr, DIR/measure.json {"wall_s", "rc", "connections",
# "max_concurrent"}. Sourced by bench/run.sh. The capture runs in the same network namespace as the tool.
MEASURE_PREFIX=()
MEASURE_TIMEOUT=${MEASURE_TIMEOUT:-900}
MEASURE_PIDS=()

# For the EXIT trap: stop the capture and the tool of an interrupted measurement (by their own PIDs).
# The tool runs in the background and is waited for, so a TERM to run.sh is handled at once, not when
# a 3-minute testssl.sh run ends.
measure_abort() {
  local pid
  for pid in "${MEASURE_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  MEASURE_PIDS=()
}

measure() {
  local dir=$1 iface=$2 addr=$3 port=$4; shift 4
  mkdir -p "$dir"
  local filter="tcp and host $addr and port $port and (tcp[tcpflags] & (tcp-syn|tcp-fin|tcp-rst) != 0)"
  "${MEASURE_PREFIX[@]}" tcpdump -i "$iface" -n --immediate-mode -U -w "$dir/capture.pcap" "$filter" 2>"$dir/tcpdump.log" &
  local tcpdump_pid=$! i
  MEASURE_PIDS=("$tcpdump_pid")
  for i in $(seq 100); do
    grep -q "listening on" "$dir/tcpdump.log" 2>/dev/null && break
    kill -0 "$tcpdump_pid" 2>/dev/null || { echo "measure: tcpdump failed: $(cat "$dir/tcpdump.log")" >&2; return 1; }
    sleep 0.05
  done
  local start end rc=0
  start=$(date +%s.%N)
  timeout --kill-after=10 "$MEASURE_TIMEOUT" "${MEASURE_PREFIX[@]}" "$@" >"$dir/stdout" 2>"$dir/stderr" </dev/null &
  local tool_pid=$!
  MEASURE_PIDS+=("$tool_pid")
  wait "$tool_pid" || rc=$?
  end=$(date +%s.%N)
  sleep 0.5  # the last FIN/RST (immediate mode: nothing waits in a buffer block)
  kill -INT "$tcpdump_pid" 2>/dev/null || true
  wait "$tcpdump_pid" 2>/dev/null || true
  MEASURE_PIDS=()
  local stat
  stat=$(python3 "$BENCH_LIB/pcapstat.py" "$dir/capture.pcap" "$addr" "$port")
  python3 -c 'import json,sys; s=json.loads(sys.argv[1]); s.update(wall_s=round(float(sys.argv[3])-float(sys.argv[2]),2), rc=int(sys.argv[4])); print(json.dumps(s))' \
    "$stat" "$start" "$end" "$rc" >"$dir/measure.json"
}
