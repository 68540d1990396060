#!/usr/bin/env bash
# DNS benchmark (issue 12): discovery and DANE lookups of every testbed domain (4 SRV names, A/AAAA of each
# target, TLSA of each _port._tcp.target) against the testbed's dnsmasq, by the project's own DNS engine (as it was
# at $OLD_ENGINE_COMMIT, the commit before DnsClient replaced it, extracted with git archive and compiled with the
# same driver) and by today's DnsClient 1.8.0 adapter, alternating, in one run. Loopback only.
# Usage: bash bench/dns/run.sh [--passes N] [--rounds R] [--out FILE] [--no-build]
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
OLD_ENGINE_COMMIT=cccc2ecfb78223a67ddef34f4513f983a7cdb216
passes=50; rounds=3; out=""; build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --passes) passes=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

bash deploy/testbed/up.sh >/dev/null 2>&1 || { echo "deploy/testbed/up.sh failed" >&2; exit 1; }
# shellcheck disable=SC1091
source "${TESTBED_DIR:-/tmp/xmppscan-testbed}/testbed.env"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
python3 - "$TESTBED_MANIFEST" > "$work/domains.txt" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
for d in m["domains"] + m["no_service_domains"]:
    print(d["domain"])
PY

old_dll="$root/bench/dns/old/bin/Release/net10.0/OldDnsBench.dll"
new_dll="$root/bench/dns/bin/Release/net10.0/XmppScanCluster.DnsBench.dll"
if [ "$build" = 1 ]; then
  git -C "$root" cat-file -e "$OLD_ENGINE_COMMIT^{commit}" 2>/dev/null \
    || { echo "commit $OLD_ENGINE_COMMIT (the old engine) is not in this repository" >&2; exit 1; }
  mkdir -p "$work/old"
  git -C "$root" archive "$OLD_ENGINE_COMMIT" src/ScanNode/Dns src/Shared/Dns | tar -x -C "$work/old"
  bash deploy/dotnet.sh build bench/dns/old/OldDnsBench.csproj -c Release -nologo -v q -p:OldSrc="$work/old" >"$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; exit 1; }
  bash deploy/dotnet.sh build bench/dns/XmppScanCluster.DnsBench.csproj -c Release -nologo -v q >"$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; exit 1; }
fi

common=(--dns "$TESTBED_DNS" --domains "$work/domains.txt" --passes "$passes")
for order in sequential parallel; do
  flag=(); [ "$order" = parallel ] && flag=(--parallel)
  for _ in $(seq "$rounds"); do
    dotnet "$old_dll" "${common[@]}" "${flag[@]}" >> "$work/rows.txt"
    dotnet "$new_dll" "${common[@]}" "${flag[@]}" >> "$work/rows.txt"
  done
done

table=$(python3 - "$work/rows.txt" "$passes" "$rounds" <<'PY'
import statistics, sys
rows = [[c.strip() for c in l.strip().strip("|").split("|")] for l in open(sys.argv[1]) if l.startswith("|")]
groups = {}
for engine, order, queries, records, seconds, qps, bpq in rows:
    groups.setdefault((order, engine), []).append((int(queries), int(records), float(qps), int(bpq)))
print(f"{sys.argv[3]} rounds of {sys.argv[2]} passes per engine and order, alternating; median of the rounds.")
print()
print("| order | engine | queries per pass | records per pass | queries/s | allocated bytes/query |")
print("|---|---|---:|---:|---:|---:|")
for (order, engine), g in groups.items():
    per_pass = g[0][0] // int(sys.argv[2])
    print(f"| {order} | {engine} | {per_pass} | {g[0][1]} | {statistics.median(x[2] for x in g):.0f} | {statistics.median(x[3] for x in g):.0f} |")
PY
)
echo "$table"
[ -z "$out" ] || echo "$table" > "$out"
