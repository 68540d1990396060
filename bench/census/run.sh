#!/usr/bin/env bash
# Census overhead beyond the scanning itself (issue 7): the same testbed domains scanned by `xmppscan scan`
# (no store, no actors) and by an embedded `xmppscan census` (SQLite journal, target actors, politeness gate),
# at both depths, each process timed by /usr/bin/time. Wall time differs by design (scan walks the domains one
# after another, a census runs 16 targets at once behind the per-IP gate), so the overhead is read in CPU time:
# census CPU − scan CPU = what the journal, the events' JSON, SQLite and the actors cost.
# As root, tcpdump also counts each run's connections (SYNs to the testbed's XMPP ports), which shows both did the
# same work.
# Usage: bash bench/census/run.sh [--runs N] [--mode c2s|s2s|both] [--domains N] [--out FILE] [--no-build]
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
runs=3; mode=both; out=""; limit=0; build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --mode) mode=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --domains) limit=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (deploy/install-deps.sh installs it)" >&2; exit 2; }
bash deploy/testbed/up.sh >/dev/null 2>&1 || { echo "deploy/testbed/up.sh failed" >&2; exit 1; }
# shellcheck disable=SC1091
source "${TESTBED_DIR:-/tmp/xmppscan-testbed}/testbed.env"
[ "$build" = 0 ] || bash deploy/dotnet.sh build src/Coordinator -c Release -nologo -v q >/dev/null
dll="$root/src/Coordinator/bin/Release/net10.0/xmppscan.dll"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
python3 - "$TESTBED_MANIFEST" > "$work/targets.txt" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
for d in m["domains"] + m["no_service_domains"]:
    print(d["domain"])
PY
if [ "$limit" -gt 0 ]; then head -n "$limit" "$work/targets.txt" > "$work/t" && mv "$work/t" "$work/targets.txt"; fi
domains=$(grep -c . "$work/targets.txt")
common=(--mode "$mode" --dns "$TESTBED_DNS" --trust-anchors "$TESTBED_CA_BUNDLE" --no-system-trust --timeout 10)

# SYNs (not SYN-ACKs) to the testbed's XMPP ports, IPv4 $TESTBED_NET.0/24 (127.1.0.0/24 by default; each engineer's
# testbed has its own) and ::1; DNS (5353) is UDP and not counted.
syn_filter='(ip and dst net '"${TESTBED_NET:-127.1.0}"'.0/24 and tcp[13] & 0x12 == 0x02 and not port 5353) or (ip6 and ip6[6] == 6 and ip6 dst host ::1 and ip6[53] & 0x12 == 0x02 and ip6[42:2] >= 5000 and ip6[42:2] < 6000)'
# Capture only where tcpdump really can (root alone is not enough in a container without CAP_NET_RAW): a second of
# listening on lo either times out (124: it could listen) or fails at once.
capture=0
if [ "$(id -u)" = 0 ] && command -v tcpdump >/dev/null; then
  rc=0; timeout 1 tcpdump -i lo -nn -c 1 -w /dev/null >/dev/null 2>&1 || rc=$?
  if [ "$rc" = 0 ] || [ "$rc" = 124 ]; then capture=1; fi
fi

# One timed run: prints "wall user+sys maxrss_kib connections" (connections "—" without tcpdump).
timed() {
  local label=$1; shift
  local tp=""
  if [ "$capture" = 1 ]; then
    tcpdump -i lo -nn -w "$work/$label.pcap" "$syn_filter" 2>/dev/null & tp=$!
    sleep 1
  fi
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >"$work/$label.out" 2>"$work/$label.err" || true
  local conns="—"
  if [ -n "$tp" ]; then
    sleep 1; kill "$tp"; wait "$tp" 2>/dev/null || true
    conns=$(tcpdump -nn -r "$work/$label.pcap" 2>/dev/null | wc -l)
  fi
  awk -v c="$conns" '{ printf "%.2f %.2f %d %s\n", $1, $2 + $3, $4, c }' "$work/time"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

declare -A wall cpu rss conns events dbsize
for depth in session full; do
  for run in $(seq "$runs"); do
    scan_flags=(); [ "$depth" = session ] && scan_flags=(--quick)
    # shellcheck disable=SC2046
    read -r w c m n < <(timed "scan-$depth" dotnet "$dll" scan "${common[@]}" "${scan_flags[@]}" --json "$work/scan.json" $(cat "$work/targets.txt"))
    wall[scan-$depth]+="$w "; cpu[scan-$depth]+="$c "; rss[scan-$depth]+="$m "; conns[scan-$depth]=$n
    rm -f "$work/census.db"* "$work/census.events.db"*
    read -r w c m n < <(timed "census-$depth" dotnet "$dll" census --targets "$work/targets.txt" --store "sqlite:$work/census.db" \
      --name "bench-$depth-$run" --depth "$depth" --spacing 0 --max-per-ip 1 "${common[@]}")
    wall[census-$depth]+="$w "; cpu[census-$depth]+="$c "; rss[census-$depth]+="$m "; conns[census-$depth]=$n
    grep -q "0 failed of $domains" "$work/census-$depth.out" || { echo "census did not finish every target:" >&2; tail -3 "$work/census-$depth.out" >&2; exit 1; }
  done
  # Target events are Akka.Persistence.Sql's, in the sibling file census.events.db (target-* streams; the rest is
  # sharding's remembered entities).
  events[$depth]=$(python3 - "$work/census.events.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
n, b = c.execute("select count(*), coalesce(sum(length(payload)), 0) from event_journal where persistence_id like 'target-%'").fetchone()
print(n, b)
PY
)
  dbsize[$depth]=$(du -kc "$work/census.db" "$work/census.events.db" | tail -1 | cut -f1)
done

med() { tr ' ' '\n' <<<"$1" | grep . | median; }
{
  echo "## Census overhead: $domains testbed domains, mode $mode, median of $runs runs ($(date -u +%FT%TZ))"
  echo
  echo "| depth | tool | connections | wall s | CPU s (user+sys) | peak RSS MiB | events | event JSON KiB | store KiB |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
  for depth in session full; do
    read -r n bytes <<<"${events[$depth]}"
    for tool in scan census; do
      k="$tool-$depth"
      r=$(med "${rss[$k]}")
      if [ "$tool" = census ]; then extra="$n | $((bytes / 1024)) | ${dbsize[$depth]}"; else extra="— | — | —"; fi
      echo "| $depth | $tool | ${conns[$k]} | $(med "${wall[$k]}") | $(med "${cpu[$k]}") | $((r / 1024)) | $extra |"
    done
    sc=$(med "${cpu[scan-$depth]}"); cc=$(med "${cpu[census-$depth]}")
    echo "| $depth | **census − scan** | | | **$(python3 -c "print(f'{$cc-$sc:+.2f}')")** ($(python3 -c "print(f'{($cc-$sc)*1000/$domains:+.0f}')") ms CPU per domain) | | | | |"
  done
  echo
  echo "Census flags: --spacing 0 --max-per-ip 1 (embedded, 16 targets in flight); scan: one process over all domains."
} | tee ${out:+"$out"}
