#!/usr/bin/env bash
# Census site benchmark: a synthetic census of N domains (both modes) written into a SQLite store through the
# store API, `xmppscan report` of it (wall time and peak memory from /usr/bin/time -v), then the overview, the
# domain table and one domain page opened from file:// in headless Chromium (median of --runs fresh browsers):
# navigation start → load event, first contentful paint, page weight. Prints a markdown table; writes it and
# the raw figures to OUT/. Needs chromium and /usr/bin/time (deploy/install-deps.sh installs both).
# Usage: bash bench/site/run.sh [--domains 10000] [--runs 3] [--out DIR] [--no-build] [--keep]
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
domains=10000; runs=3; out=""; build=1; keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --domains) domains=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --keep) keep=1; shift ;;
    *) echo "bench/site: unknown option $1" >&2; exit 2 ;;
  esac
done
out=${out:-$root/bench/results/site-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"
work=$(mktemp -d /tmp/xmppscan-site-bench.XXXXXX)
# The store and the site can be hundreds of MB: removed unless --keep.
cleanup() { if [ "$keep" = 1 ]; then echo "bench/site: kept $work"; else rm -rf "$work"; fi; }
trap cleanup EXIT

if [ "$build" = 1 ]; then
  bash deploy/dotnet.sh build src/Coordinator -c Release -nologo -v q >/dev/null
  bash deploy/dotnet.sh build bench/site -c Release -nologo -v q >/dev/null
fi
xmppscan="$root/src/Coordinator/bin/Release/net10.0/xmppscan.dll"
bench="$root/bench/site/bin/Release/net10.0/XmppScanCluster.SiteBench.dll"
[ -f "$bench" ] || { echo "bench/site: $bench not built (run without --no-build)" >&2; exit 1; }

echo "bench/site: generating $domains domains into $work/census.db"
start=$(date +%s%N)
dotnet "$bench" generate --domains "$domains" --store "$work/census.db" | tee "$out/generate.txt"
generate_ms=$(( ($(date +%s%N) - start) / 1000000 ))

echo "bench/site: xmppscan report"
/usr/bin/time -v -o "$out/report-time.txt" dotnet "$xmppscan" report --store "$work/census.db" --out "$work/site" | tee "$out/report.txt"
report_wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$out/report-time.txt")
report_rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$out/report-time.txt")
site_bytes=$(du -sb "$work/site" | cut -f1)
site_files=$(find "$work/site" -type f | wc -l)
# sed, not head: head would close the pipe early and pipefail would end the script on sort's SIGPIPE.
domain_page=$(find "$work/site/domain" -name '*.html' | sort | sed -n 1p)

: > "$out/pages.jsonl"
for page in "$work/site/index.html" "$work/site/domains.html" "$domain_page"; do
  echo "bench/site: measuring $(basename "$page") ($runs runs)"
  dotnet "$bench" measure --file "$page" --runs "$runs" | tee -a "$out/pages.jsonl"
done

python3 - "$out" "$domains" "$generate_ms" "$report_wall" "$report_rss_kb" "$site_bytes" "$site_files" <<'PY' | tee "$out/table.md"
import json, sys
out, domains, gen, wall, rss, size, files = sys.argv[1:]
pages = [json.loads(l) for l in open(f"{out}/pages.jsonl") if l.strip()]
results = open(f"{out}/report.txt").read().split("report: ")[-1].split(" results")[0] if "results" in open(f"{out}/report.txt").read() else "?"
print(f"## Census site, {int(domains):,} domains ({results} results)\n")
print("| step | figure |\n| --- | --- |")
print(f"| generate the store (store API) | {int(gen) / 1000:.1f} s |")
print(f"| xmppscan report: wall time | {wall} |")
print(f"| xmppscan report: peak memory (max RSS) | {int(rss) / 1024:.0f} MiB |")
print(f"| site on disk | {int(size) / 1e6:.1f} MB in {int(files):,} files |\n")
print("| page | load event (median) | first contentful paint | page weight | requests | problems |\n| --- | --- | --- | --- | --- | --- |")
for p in pages:
    name = p["page"] if p["page"] in ("index.html", "domains.html") else "domain/…html"
    fcp = f'{p["fcp_ms"]:.0f} ms' if p["fcp_ms"] >= 0 else "n/a"
    print(f'| {name} | {p["load_ms"]:.0f} ms | {fcp} | {p["bytes"] / 1024:.0f} KiB | {p["requests"]} | {len(p["problems"])} |')
overview = next(p for p in pages if p["page"] == "index.html")
print(f'\noverview under 2 s: {"yes" if overview["load_ms"] < 2000 else "NO"} ({overview["load_ms"]:.0f} ms)')
PY
