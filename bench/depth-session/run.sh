#!/usr/bin/env bash
# Depth-session benchmark (issue 14): a census at --depth session of a simulated federation (bench/federation/up.sh)
# with nothing to wait for (--spacing 0, --max-per-ip 64): what one endpoint costs the scanner when politeness is
# not the limit. Per census: endpoints done (the journal's endpoint_session_observed events), wall, the census
# process's CPU (/usr/bin/time), endpoints per CPU second (= targets/s per core), peak RSS, the node's most targets
# in flight, the servers' CPU (the Python workers and knotd, from /proc), and the load; then memory per target in
# flight as the slope of peak RSS between the censuses (each N in flight on a fresh store); then what each census's
# process spent by the runtime's own count (the node's "process: …" line: allocated MiB and KiB per endpoint, garbage
# collections and pauses, JIT compilations and time).
#
#   bench/depth-session/run.sh [--domains 2500] [--addresses 300] [--seed 14] [--workers 2] [--base 100]
#       [--mode both] [--in-flight 32,512] [--xmppscan DLL|EXE | --r2r] [--out DIR] [--perf] [--smoke]
#       [--certs one|per-domain]
#
# 2,500 domains in mode both = 10,000 endpoints (c2s and s2s, STARTTLS and direct TLS). --perf records each census
# with perf (DOTNET_PerfMapEnabled=1, W^X off) into WORK/census-N.perf.data (its CPU column then includes perf's).
# --r2r: the published tool (ReadyToRun, bench/lib/publish-r2r.sh into OUT/r2r) instead of the build.
# --certs per-domain: each domain shows its own leaf (up.sh --certs) instead of the federation's one.
# --smoke: 20 domains on 8 addresses, 4 and 16 in flight, the federation on --base 236 (the smoke test's run).
# Addresses from $XMPPSCAN_FREE_NET (bench/federation); everything it contacts is on 127.0.0.0/8.
# Exit 0 when the harness worked, whatever the figures; a failed census shows in the exit column.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
domains=2500 addresses=300 seed=14 workers=2 base=100 mode=both in_flight=32,512 perf=0 r2r=0 certs=one
dll=$root/src/Coordinator/bin/Release/net10.0/xmppscan.dll
out=$root/bench/results/depth-session-$(date -u +%Y%m%dT%H%M%SZ)
while (($#)); do
  case "$1" in
    --domains) domains=$2; shift ;; --addresses) addresses=$2; shift ;; --seed) seed=$2; shift ;;
    --workers) workers=$2; shift ;; --base) base=$2; shift ;; --mode) mode=$2; shift ;;
    --in-flight) in_flight=$2; shift ;; --xmppscan) dll=$2; shift ;; --r2r) r2r=1 ;; --out) out=$2; shift ;;
    --perf) perf=1 ;; --certs) certs=$2; shift ;;
    --smoke) domains=20 addresses=8 in_flight=4,16 base=236 ;;
    -h | --help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
# --r2r: the published tool instead of the build (ReadyToRun, bench/lib/publish-r2r.sh), published into the output.
((r2r)) && dll=$(bash "$root/bench/lib/publish-r2r.sh" "$out/r2r")
[[ -f $dll ]] || { echo "run.sh: no $dll (build first: dotnet build XmppScanCluster.sln -c Release)" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "run.sh: needs /usr/bin/time (deploy/install-deps.sh installs it)" >&2; exit 2; }
((perf == 0)) || command -v perf >/dev/null || { echo "run.sh: --perf needs perf" >&2; exit 2; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
work=$out/work
mkdir -p "$work"
trap 'bash "$root/bench/federation/down.sh" "$work"' EXIT
bash "$root/bench/federation/up.sh" "$work" --domains "$domains" --addresses "$addresses" --seed "$seed" \
  --workers "$workers" --base "$base" --certs "$certs"
# shellcheck disable=SC1091
source "$work/federation.env"

# CPU seconds (user + system) of the federation's processes: knotd first in pids, then the server workers.
server_cpu() {
  local p ticks=0 dns=0 first=1
  while read -r p; do
    local t
    t=$(awk '{ print $14 + $15 }' "/proc/$p/stat")
    if ((first)); then dns=$t; first=0; else ticks=$((ticks + t)); fi
  done <"$work/pids"
  echo "$ticks $dns"
}

python3 "$here/report.py" header "$FED_PLAN" "$mode" "$dll" | tee "$out/table.md"
IFS=, read -ra flights <<<"$in_flight"
# --xmppscan: an xmppscan.dll (run by dotnet) or an executable (a self-contained publish's apphost, a wrapper script).
xmppscan=(dotnet "$dll")
[[ $dll == *.dll ]] || xmppscan=("$dll")
for n in "${flights[@]}"; do
  name=census-$n
  rm -f "$work/$name".*
  read -r servers_before dns_before < <(server_cpu)
  load_before=$(cut -d' ' -f1 /proc/loadavg)
  prefix=()
  if ((perf)); then prefix=(perf record -F 499 -g -o "$work/$name.perf.data" --); fi
  # W^X off under perf so that it can name JIT-compiled code (bench/endpoints' profiles did the same).
  DOTNET_PerfMapEnabled=$perf DOTNET_EnableWriteXorExecute=$((1 - perf)) /usr/bin/time -f '%e %U %S %M' -o "$work/$name.time" "${prefix[@]}" "${xmppscan[@]}" census \
    --targets "$FED_TARGETS" --store "sqlite:$work/$name.db" --dns "$FED_DNS" --trust-anchors "$FED_CA" --no-system-trust \
    --mode "$mode" --depth session --spacing 0 --max-per-ip 64 --targets-in-flight "$n" --progress none \
    >"$work/$name.out" 2>"$work/$name.err" &
  census_pid=$!
  python3 "$here/sampler.py" "$census_pid" "$work/$name.samples" &
  rc=0
  wait "$census_pid" || rc=$?
  wait
  load_after=$(cut -d' ' -f1 /proc/loadavg)
  read -r servers_after dns_after < <(server_cpu)
  python3 "$here/report.py" census "$work/$name" "$n" "$rc" "$(((servers_after - servers_before)))" \
    "$(((dns_after - dns_before)))" "$(getconf CLK_TCK)" "$load_before-$load_after" | tee -a "$out/table.md"
done
python3 "$here/report.py" memory "$work" "${flights[@]}" | tee -a "$out/table.md"
python3 "$here/report.py" runtime "$work" "${flights[@]}" | tee -a "$out/table.md"
echo "results: $out/table.md"
