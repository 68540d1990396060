#!/usr/bin/env bash
# Benchmark: xmppscan against testssl.sh, nmap ssl-enum-ciphers and sslscan on the same real XMPP servers,
# side by side in one run. Counts TCP connections (SYNs to the server address, from a tcpdump capture) and
# wall time, compares the accepted suites per protocol, prints a markdown table and writes it to
# bench/results/<timestamp>/table.md (raw outputs and captures next to it). See bench/README.md.
#
#   bench/run.sh [--servers modern,legacy,ejabberd] [--tools xmppscan,testssl,nmap,sslscan]
#                [--latency-servers modern,legacy,ejabberd | --no-latency] [--delay-ms 25] [--out DIR]
#                [--xmppscan PATH/xmppscan.dll] [--no-build] [--capture-on-lo] [--smoke]
#
# Two parts: (1) loopback: the shared testbed (deploy/testbed, 127.1.0.0/24), no added latency, every tool
# with its default concurrency, run from a namespace of its own so that the capture holds only its
# connections (lib/isolate.sh; --capture-on-lo: root namespace, count on lo); (2) latency: a copy of a
# testbed Prosody or ejabberd in a network namespace behind a userspace delay bridge (lib/latency.sh,
# 2 x --delay-ms round trip), at most 2 connections at once per tool. --smoke: xmppscan only, on modern
# in both parts and on the ejabberd copy in the latency part (the test in tests/Coordinator.Tests runs this).
# Needs root (tcpdump, namespaces). Never sends anything outside 127.0.0.0/8 and its own namespaces.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
BENCH_LIB=$root/bench/lib
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

servers=modern,legacy,ejabberd
tools=xmppscan,testssl,nmap,sslscan
latency_servers=modern,legacy,ejabberd
delay_ms=25
out_base=$root/bench/results
XMPPSCAN_DLL=""
build=1
smoke=0
isolate=1
while (($#)); do
  case "$1" in
    --servers) servers=$2; shift ;;
    --tools) tools=$2; shift ;;
    --latency-servers) latency_servers=$2; shift ;;
    --no-latency) latency_servers="" ;;
    --delay-ms) delay_ms=$2; shift ;;
    --out) out_base=$2; shift ;;
    --xmppscan) XMPPSCAN_DLL=$2; shift ;;
    --no-build) build=0 ;;
    --capture-on-lo) isolate=0 ;;
    --smoke) smoke=1; servers=modern; tools=xmppscan; latency_servers=modern,ejabberd ;;
    -h | --help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ "$(id -u)" -eq 0 ]] || { echo "run.sh: needs root (tcpdump, network namespaces)" >&2; exit 1; }

IFS=, read -ra server_list <<<"$servers"
IFS=, read -ra tool_list <<<"$tools"
IFS=, read -ra latency_list <<<"$latency_servers"

bash deploy/install-deps.sh
# shellcheck source=lib/tools.sh
source "$BENCH_LIB/tools.sh"
# shellcheck source=lib/measure.sh
source "$BENCH_LIB/measure.sh"
# shellcheck source=lib/latency.sh
source "$BENCH_LIB/latency.sh"
# shellcheck source=lib/isolate.sh
source "$BENCH_LIB/isolate.sh"

# The testbed is shared: up.sh only when one of our servers does not answer (up.sh restarts a testbed
# started from other sources, which would disturb the other users of a healthy one).
testbed_env="${TESTBED_DIR:-/tmp/xmppscan-testbed}/testbed.env"
testbed_answers() {
  [[ -f "$testbed_env" ]] || return 1
  # shellcheck disable=SC1090
  source "$testbed_env"
  local name addr
  for name in "${server_list[@]}" "${latency_list[@]}"; do
    addr=$(python3 "$BENCH_LIB/servers.py" "$TESTBED_MANIFEST" "$name" address) || return 1
    timeout 2 bash -c "exec 3<>/dev/tcp/$addr/5222" 2>/dev/null || return 1
  done
}
testbed_answers || { bash deploy/testbed/up.sh; testbed_answers; }
BENCH_DNS=$TESTBED_DNS

if [[ -z "$XMPPSCAN_DLL" ]]; then
  XMPPSCAN_DLL=$root/src/Coordinator/bin/Release/net10.0/xmppscan.dll
  if ((build)) || [[ ! -f "$XMPPSCAN_DLL" ]]; then bash deploy/dotnet.sh build src/Coordinator -c Release -nologo -v q >&2; fi
fi
[[ -f "$XMPPSCAN_DLL" ]] || { echo "run.sh: $XMPPSCAN_DLL not found" >&2; exit 1; }
xmppscan_detect_concurrency

stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=$out_base/$stamp
mkdir -p "$out/raw"
results=$out/results.jsonl
: >"$results"
trap 'echo "bench: cleaning up" >&2; measure_abort; isolate_down; latency_down' EXIT
trap 'exit 130' INT TERM

# run_one MODE SERVER TOOL DOMAIN ADDRESS IFACE
run_one() {
  local mode=$1 server=$2 tool=$3 domain=$4 addr=$5 iface=$6
  local dir=$out/raw/$mode-$server-$tool output
  mkdir -p "$dir"
  output=$dir/$(tool_output_name "$tool")
  tool_command "$tool" "$domain" "$addr" 5222 "$output"
  printf '%s\n' "${CMD[*]}" >"$dir/command"
  echo "bench: $mode $server $tool ..." >&2
  measure "$dir" "$iface" "$addr" 5222 "${CMD[@]}"
  python3 "$BENCH_LIB/findings.py" "$tool" "$output" 5222 >"$dir/findings.json"
  python3 - "$mode" "$server" "$domain" "$tool" "$dir" >>"$results" <<'EOF'
import json, sys
mode, server, domain, tool, d = sys.argv[1:]
row = {"mode": mode, "server": server, "domain": domain, "tool": tool, "dir": d}
row.update(json.load(open(f"{d}/measure.json")))
row["findings"] = json.load(open(f"{d}/findings.json"))
print(json.dumps(row))
EOF
  echo "bench: $mode $server $tool: $(cat "$dir/measure.json")" >&2
}

# Part 1: loopback, the shared testbed.
BENCH_CAP_CONCURRENCY=0
MEASURE_PREFIX=()
iface=lo
if ((isolate)); then
  echo "bench: loopback namespace $ISO_NS (root end $ISO_ROOT_DEV)" >&2
  isolate_up "$TESTBED_NET"
  MEASURE_PREFIX=(ip netns exec "$ISO_NS")
  iface=xsi1
fi
BENCH_HOSTS=$out/hosts.loopback
python3 "$BENCH_LIB/servers.py" "$TESTBED_MANIFEST" --hosts >"$BENCH_HOSTS"
for server in "${server_list[@]}"; do
  domain=$(python3 "$BENCH_LIB/servers.py" "$TESTBED_MANIFEST" "$server" domain)
  addr=$(python3 "$BENCH_LIB/servers.py" "$TESTBED_MANIFEST" "$server" address)
  for tool in "${tool_list[@]}"; do run_one loopback "$server" "$tool" "$domain" "$addr" "$iface"; done
done
isolate_down

# Part 2: latency, one namespace pair per server in turn.
rtt=""
if ((${#latency_list[@]})); then
  BENCH_CAP_CONCURRENCY=1
  mkdir -p "$out/latency"
  echo "bench: namespaces $LAT_NS_C $LAT_NS_B $LAT_NS_S" >&2
  latency_up "$out/latency" "$delay_ms"
  # The inode lets a caller check afterwards that no process is left in it (the smoke test does).
  echo "bench: server namespace $LAT_NS_S $(ip netns exec "$LAT_NS_S" readlink /proc/self/ns/net)" >&2
  rtt=$(latency_rtt_ms)
  echo "bench: latency mode, measured RTT ${rtt} ms (target $((2 * delay_ms)) ms)" >&2
  [[ -n "$rtt" ]] || { echo "run.sh: no ping answer through the delay bridge" >&2; exit 1; }
  BENCH_HOSTS=$out/hosts.latency
  MEASURE_PREFIX=(ip netns exec "$LAT_NS_C")
  for server in "${latency_list[@]}"; do
    domain=$(python3 "$BENCH_LIB/servers.py" "$TESTBED_MANIFEST" "$server" domain)
    echo "$LAT_SERVER_ADDR $domain" >"$BENCH_HOSTS"
    software=$(python3 "$BENCH_LIB/servers.py" "$TESTBED_MANIFEST" "$server" software)
    echo "bench: latency server $server: a copy of the testbed's $software on $LAT_SERVER_ADDR" >&2
    latency_start_server "$out/latency" "$server" "$software"
    for tool in "${tool_list[@]}"; do run_one latency "$server" "$tool" "$domain" "$LAT_SERVER_ADDR" xsc0; done
    latency_stop_server
  done
  latency_down
fi

python3 "$BENCH_LIB/report.py" "$results" --rtt "$rtt" --delay-ms "$delay_ms" \
  "--xmppscan-concurrency=${XMPPSCAN_CONCURRENCY_OPTION:-none}" >"$out/table.md"  # '=': the value starts with --
cat "$out/table.md"
echo "bench: written $out/table.md" >&2
if ((smoke)); then
  grep -q '^| modern | xmppscan | [0-9]' "$out/table.md" || { echo "run.sh: smoke: no xmppscan row" >&2; exit 1; }
  grep -q '^| ejabberd | xmppscan | [0-9]' "$out/table.md" || { echo "run.sh: smoke: no ejabberd row" >&2; exit 1; }
fi
