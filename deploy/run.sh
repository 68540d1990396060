#!/usr/bin/env bash
# The main job on the embedded default: bring up the local testbed of real XMPP servers (installing what
# it needs), then scan every testbed domain with xmppscan and write the facts to artifacts/.
# Usage: bash deploy/run.sh [extra xmppscan scan options, e.g. --mode both]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

bash deploy/install-deps.sh
bash deploy/testbed/up.sh
# shellcheck disable=SC1091
source "${TESTBED_DIR:-/tmp/xmppscan-testbed}/testbed.env"

# Every domain of the live manifest, served or not ("domain": "x.test" lines); no JSON tool needed.
mapfile -t domains < <(grep -o '"domain": *"[^"]*"' "$TESTBED_MANIFEST" | sed 's/.*"\([^"]*\)"$/\1/' | sort -u)
mkdir -p "$root/artifacts"
dotnet build src/Coordinator -c Release -nologo -v q
set +e
dotnet "src/Coordinator/bin/Release/net10.0/xmppscan.dll" scan \
  --dns "$TESTBED_DNS" --trust-anchors "$TESTBED_CA_BUNDLE" --no-system-trust \
  --json "$root/artifacts/testbed-scan.json" "$@" "${domains[@]}"
status=$?
set -e
echo "Facts written to $root/artifacts/testbed-scan.json (exit code $status)."
echo "The testbed keeps running; stop it with: bash deploy/testbed/down.sh"
exit $status
