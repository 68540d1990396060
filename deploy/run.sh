#!/usr/bin/env bash
# The main job on the embedded default: bring up the local testbed of real XMPP servers (installing what it
# needs), run a census of every testbed domain in both modes (SQLite store artifacts/testbed-census.db, one
# in-process node, politeness loosened for loopback servers), then write the census site (xmppscan report) to
# artifacts/site/ and print where to open it. Each run is a new census named by its start time, so from the
# second run on the site also compares with the run before.
# Usage: bash deploy/run.sh [extra xmppscan census options, e.g. --policy xmppoke-2015]
# XMPPSCAN_OUT=DIR writes the targets, store, node log and site there instead of artifacts/ (tests use their own
# temporary folder, so running the tests never touches the main job's census or site).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

bash deploy/install-deps.sh
bash deploy/testbed/up.sh
# shellcheck disable=SC1091
source "${TESTBED_DIR:-/tmp/xmppscan-testbed}/testbed.env"

# Every domain of the live manifest, served or not ("domain": "x.test" lines); no JSON tool needed.
out=$(mkdir -p "${XMPPSCAN_OUT:-$root/artifacts}" && cd "${XMPPSCAN_OUT:-$root/artifacts}" && pwd)
targets="$out/testbed-targets.txt"
grep -o '"domain": *"[^"]*"' "$TESTBED_MANIFEST" | sed 's/.*"\([^"]*\)"$/\1/' | sort -u > "$targets"
bash deploy/dotnet.sh build src/Coordinator -c Release -nologo -v q
xmppscan() { dotnet "$root/src/Coordinator/bin/Release/net10.0/xmppscan.dll" "$@"; }

store="sqlite:$out/testbed-census.db"
name="testbed-$(date -u +%Y%m%dT%H%M%SZ)"
# The testbed's servers are ours and on loopback: 50 ms between connection starts instead of the census default.
set +e
xmppscan census --targets "$targets" --store "$store" --name "$name" --mode both \
  --dns "$TESTBED_DNS" --trust-anchors "$TESTBED_CA_BUNDLE" --no-system-trust --timeout 5 \
  --spacing 0.05 --log "$out/testbed-census.log" "$@"
status=$?
set -e
if [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then
  echo "census failed (exit code $status); node log: $out/testbed-census.log" >&2
  exit "$status"
fi

xmppscan census stats --store "$store" --census "$name"
xmppscan report --store "$store" --census "$name" --out "$out/site"
echo "Census '$name' stored in $out/testbed-census.db (census exit code $status)."
echo "Open the site: file://$out/site/index.html"
echo "The testbed keeps running; stop it with: bash deploy/testbed/down.sh"
exit $status
