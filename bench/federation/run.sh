#!/usr/bin/env bash
# Federation benchmark (issue 14): a census of a simulated federation (up.sh: N domains on A loopback addresses,
# Zipf-skewed hosting, four ports per server, real TLS, SRV for every domain) against the per-IP critical-path
# floor. Per census run: wall and CPU (/usr/bin/time), connections counted by the servers (per address and port),
# connections per domain, the busiest address's connections × spacing (the floor: one connection start per
# spacing per address at --max-per-ip 1), wall / floor, the most connections open at once, and the load.
#
#   bench/federation/run.sh [--domains 500] [--addresses 60] [--seed 14] [--skew 1.1] [--workers 2] [--delay-ms 0] [--base 100]
#       [--depth session] [--mode both] [--spacing 2] [--in-flight default[,16,200...]] [--xmppscan DLL] [--out DIR]
#
# --in-flight default runs the census without --targets-in-flight (its own default). Every census writes its connection
# log (WORK/census-T.connections): report.py splits the time above the floor on the busiest address from it.
# The default politeness is --spacing 2 (PolitenessSettings.CensusDefault, one connection per address); a
# smaller spacing scales the floor down so that a big federation finishes in minutes (the ratio is what counts).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
domains=500 addresses=60 seed=14 skew=1.1 workers=2 delay=0 base=100 depth=session mode=both spacing=2 in_flight=default
dll=$root/src/Coordinator/bin/Release/net10.0/xmppscan.dll
out=$root/bench/results/federation-$(date -u +%Y%m%dT%H%M%SZ)
while (($#)); do
  case "$1" in
    --domains) domains=$2 ;; --addresses) addresses=$2 ;; --seed) seed=$2 ;; --skew) skew=$2 ;;
    --workers) workers=$2 ;; --delay-ms) delay=$2 ;; --base) base=$2 ;; --depth) depth=$2 ;; --mode) mode=$2 ;;
    --spacing) spacing=$2 ;; --in-flight) in_flight=$2 ;; --xmppscan) dll=$2 ;; --out) out=$2 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift 2
done
[[ -f $dll ]] || { echo "run.sh: no $dll (build first: dotnet build XmppScanCluster.sln -c Release)" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "run.sh: needs /usr/bin/time (deploy/install-deps.sh installs it)" >&2; exit 2; }
work=$out/work
mkdir -p "$work"
trap 'bash "$here/down.sh" "$work"' EXIT
bash "$here/up.sh" "$work" --domains "$domains" --addresses "$addresses" --seed "$seed" --skew "$skew" \
  --workers "$workers" --delay-ms "$delay" --base "$base"
# shellcheck disable=SC1091
source "$work/federation.env"

# The servers' connection counts: SIGUSR1 to every worker (the lines after knotd's in pids), one file each.
snapshot() { # NAME
  local w=0 p
  while read -r p; do
    rm -f "$FED_PLAN.counts.$w"
    kill -USR1 "$p"
    for _ in $(seq 100); do [[ -s $FED_PLAN.counts.$w ]] && break; sleep 0.1; done
    [[ -s $FED_PLAN.counts.$w ]] || { echo "run.sh: worker $w wrote no counts" >&2; return 1; }
    mv "$FED_PLAN.counts.$w" "$work/$1.counts.$w"
    w=$((w + 1))
  done < <(tail -n +2 "$work/pids")
}

python3 "$here/report.py" federation "$FED_PLAN" | tee "$out/table.md"
IFS=, read -ra flights <<<"$in_flight"
for t in "${flights[@]}"; do
  name=census-$t
  rm -f "$work/$name.db"* "$work/$name.connections"
  sized=(--targets-in-flight "$t")
  [[ $t == default ]] && sized=()
  snapshot "$name.before"
  load_before=$(cut -d' ' -f1 /proc/loadavg)
  rc=0
  /usr/bin/time -f '%e %U %S %M' -o "$work/$name.time" dotnet "$dll" census --targets "$FED_TARGETS" \
    --store "sqlite:$work/$name.db" --dns "$FED_DNS" --trust-anchors "$FED_CA" --no-system-trust --mode "$mode" \
    --depth "$depth" --spacing "$spacing" --max-per-ip 1 "${sized[@]}" --progress none \
    --connection-log "$work/$name.connections" \
    >"$work/$name.out" 2>"$work/$name.err" || rc=$?
  load_after=$(cut -d' ' -f1 /proc/loadavg)
  snapshot "$name.after"
  python3 "$here/report.py" census "$FED_PLAN" "$work/$name" "$FED_WORKERS" "$depth" "$mode" "$spacing" "$t" "$rc" \
    "$load_before-$load_after" | tee -a "$out/table.md"
done
echo "results: $out/table.md"
