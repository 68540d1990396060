#!/usr/bin/env bash
# The census runtime's costs (issue 11), one table per part, side by side in one run:
#   journal   append/recovery of target events: Akka.Persistence.Sql and the store's own journal, SQLite and PostgreSQL
#   overhead  the testbed census at depth session and full against `xmppscan scan` of the same domains (bench/census)
#   startup   process start → "up in cluster": `xmppscan node` (one-node cluster) and the embedded census; RSS then
#   memory    peak RSS of the same census with --targets-in-flight 1 and N: (RSS_N − RSS_1)/(N − 1) per target
#   kill      deploy/cluster/up.sh (3 nodes, PostgreSQL), kill -9 of a node with targets in flight, time until the
#             first event of those targets written by a survivor
# Usage: bash bench/census-runtime/run.sh [--smoke] [--parts journal,overhead,startup,memory,kill] [--runs N]
#        [--events N] [--in-flight N] [--out FILE] [--no-build]
# Uses TESTBED_DIR, XMPPSCAN_PG_DIR/PORT, CLUSTER_DIR and XMPPSCAN_FREE_NET (cluster and node addresses) from the
# environment. Contacts only 127.0.0.0/8. See README.md beside this file.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
here=$root/bench/census-runtime
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
parts=journal,overhead,startup,memory,kill; runs=3; events=2000; in_flight=16; out=""; build=1; smoke=0
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=1; runs=1; events=200; in_flight=4; shift ;;
    --parts) parts=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --events) events=$2; shift 2 ;;
    --in-flight) in_flight=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    -h | --help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
command -v /usr/bin/time >/dev/null || { echo "run.sh: needs /usr/bin/time (deploy/install-deps.sh installs it)" >&2; exit 2; }

export XMPPSCAN_PG_DIR=${XMPPSCAN_PG_DIR:-/tmp/xmppscan-pg-runtime-bench}
export XMPPSCAN_PG_PORT=${XMPPSCAN_PG_PORT:-55470}
free_net=${XMPPSCAN_FREE_NET:-127.0}
dll=$root/src/Coordinator/bin/Release/net10.0/xmppscan.dll
bench_dll=$here/journal/bin/Release/net10.0/XmppScanCluster.RuntimeJournalBench.dll
if [ "$build" = 1 ]; then
  bash deploy/dotnet.sh build src/Coordinator -c Release -nologo -v q >/dev/null
fi
if [[ ",$parts," == *,journal,* ]] && { [ "$build" = 1 ] || [ ! -f "$bench_dll" ]; }; then
  bash deploy/dotnet.sh build "$here/journal" -c Release -nologo -v q >/dev/null
fi
work=$(mktemp -d /tmp/census-runtime-bench.XXXXXX)
cluster_up=0
pg_started=0
cleanup() {
  if [ "$cluster_up" = 1 ]; then bash deploy/cluster/down.sh >/dev/null 2>&1 || true; fi
  if [ "$pg_started" = 1 ]; then bash deploy/postgres/down.sh >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
exec 3>&1
[ -z "$out" ] || exec > >(tee "$out")

echo "# Census runtime benchmark ($(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
echo

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

testbed() {
  bash deploy/testbed/up.sh >/dev/null 2>&1 || { echo "deploy/testbed/up.sh failed" >&2; exit 1; }
  # shellcheck disable=SC1091
  source "${TESTBED_DIR:-/tmp/xmppscan-testbed}/testbed.env"
  python3 - "$TESTBED_MANIFEST" > "$work/targets.txt" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
for d in m["domains"]:
    print(d["domain"])
PY
  common=(--dns "$TESTBED_DNS" --trust-anchors "$TESTBED_CA_BUNDLE" --no-system-trust --timeout 10)
}

for part in ${parts//,/ }; do
  # shellcheck source=/dev/null
  source "$here/parts/$part.sh"
done
