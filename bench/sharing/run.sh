#!/usr/bin/env bash
# Assessment sharing, part 2 (issue 14): what sharing the verified TLS service's assessment, vulnerability probes and
# client simulation saves, and that it changes no finding. For each xmppscan build given (e.g. main before the change
# and this tree after it), `xmppscan scan --mode both` at full depth of
#   - the testbed's domains (deploy/testbed: real Prosody and ejabberd), and
#   - a slice of the simulated federation (bench/federation: D domains on A addresses, real OpenSSL),
# once with sharing (the default) and once with --no-sharing. Per run: connections (the scan's own connection log:
# every connection through its gate), wall and CPU (/usr/bin/time), the load before and after. Then compare.py checks
# every run's findings and grades (every policy) against the first build's --no-sharing run of the same targets: the
# table says "equal" or the run differs (exit 1).
#
#   bench/sharing/run.sh [--build LABEL=DLL]... [--fed-domains 8] [--fed-addresses 3] [--fed-base 180] [--out DIR]
#
# Default build: this tree's src/Coordinator/bin/Release/net10.0/xmppscan.dll as "this". Loopback only: the testbed
# and the federation are on the addresses of $TESTBED_NET and $XMPPSCAN_FREE_NET.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
builds=() fed_domains=8 fed_addresses=3 fed_base=180 out=$root/bench/results/sharing-$(date -u +%Y%m%dT%H%M%SZ)
while (($#)); do
  case "$1" in
    --build) builds+=("$2") ;; --fed-domains) fed_domains=$2 ;; --fed-addresses) fed_addresses=$2 ;;
    --fed-base) fed_base=$2 ;; --out) out=$2 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift 2
done
((${#builds[@]})) || builds=("this=$root/src/Coordinator/bin/Release/net10.0/xmppscan.dll")
for b in "${builds[@]}"; do [[ -f ${b#*=} ]] || { echo "run.sh: no ${b#*=} (build first)" >&2; exit 2; }; done
command -v /usr/bin/time >/dev/null || { echo "run.sh: needs /usr/bin/time (deploy/install-deps.sh installs it)" >&2; exit 2; }
work=$out/work
mkdir -p "$work"

bash "$root/deploy/testbed/up.sh" >/dev/null 2>&1 || { echo "run.sh: deploy/testbed/up.sh failed" >&2; exit 1; }
# shellcheck disable=SC1091
source "${TESTBED_DIR:-/tmp/xmppscan-testbed}/testbed.env"
python3 - "$TESTBED_MANIFEST" >"$work/testbed.targets" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
for d in m["domains"] + m["no_service_domains"]:
    print(d["domain"])
PY
trap 'bash "$root/bench/federation/down.sh" "$work/federation"' EXIT
bash "$root/bench/federation/up.sh" "$work/federation" --domains "$fed_domains" --addresses "$fed_addresses" --seed 14 \
  --base "$fed_base" --workers 1 >/dev/null
# shellcheck disable=SC1091
source "$work/federation/federation.env"
cp "$FED_TARGETS" "$work/federation.targets"

declare -A args
args[testbed]="--dns $TESTBED_DNS --trust-anchors $TESTBED_CA_BUNDLE --no-system-trust"
args[federation]="--dns $FED_DNS --trust-anchors $FED_CA --no-system-trust"
table=$out/table.md
{
  echo "| targets | build | sharing | domains | endpoints | connections | per domain | wall s | CPU s | load before → after | findings and grades vs first build without sharing |"
  echo "|---|---|---|---:|---:|---:|---:|---:|---:|---|---|"
} >"$table"
for targets in testbed federation; do
  reference=""
  for b in "${builds[@]}"; do
    label=${b%%=*} dll=${b#*=}
    for sharing in off on; do
      run=$work/$targets-$label-$sharing
      flag=(); [[ $sharing == off ]] && flag=(--no-sharing)
      before=$(cut -d' ' -f1-3 /proc/loadavg)
      # shellcheck disable=SC2086
      /usr/bin/time -f "%e %U %S" -o "$run.time" dotnet "$dll" scan --mode both ${args[$targets]} "${flag[@]}" --progress none \
        --json "$run.json" --connection-log "$run.connections" $(cat "$work/$targets.targets") >"$run.txt" 2>"$run.err" || true
      after=$(cut -d' ' -f1-3 /proc/loadavg)
      [[ -n $reference ]] || reference=$run.json
      python3 "$here/compare.py" "$reference" "$run.json" >"$run.compare" || true
      verdict=$(head -n 1 "$run.compare" | sed "s|$work/||g")
      read -r wall user sys <"$run.time"
      python3 - "$run.json" "$run.connections" "$targets" "$label" "$sharing" "$wall" "$user" "$sys" "$before" "$after" "$verdict" >>"$table" <<'PY'
import json, sys
report, log, targets, label, sharing, wall, user, cpu_sys, before, after, verdict = sys.argv[1:]
r = json.load(open(report))
domains = len({d["domain"] for d in r["domains"]})
endpoints = sum(len(d["endpoints"]) for d in r["domains"])
connections = sum(1 for _ in open(log))
print(f"| {targets} | {label} | {sharing} | {domains} | {endpoints} | {connections:,} | {connections / max(1, domains):.1f} | "
      f"{float(wall):.1f} | {float(user) + float(cpu_sys):.1f} | {before} → {after} | {verdict.split(': ', 1)[-1]} |")
PY
    done
  done
done
cat "$table"
! grep -q DIFFERS "$table"
