#!/usr/bin/env bash
# Publishes xmppscan as the published tool: framework-dependent, linux-x64, ReadyToRun (the assemblies the
# Coordinator's csproj names in ReadyToRunHot carry precompiled code; the rest stay IL). Prints the xmppscan.dll path.
#   bash bench/lib/publish-r2r.sh DIR        (the publish's log goes to DIR.log; exit 1 with it on failure)
set -euo pipefail
[[ $# -eq 1 ]] || { echo "usage: publish-r2r.sh DIR" >&2; exit 2; }
dir=$(realpath -m "$1")
cd "$(dirname "$0")/../.."
mkdir -p "$dir"
# One build or publish of the solution at a time (deploy/dotnet.sh): the tests run the benches' smoke runs side by side.
bash deploy/dotnet.sh publish src/Coordinator -c Release -r linux-x64 --self-contained false \
  -p:PublishReadyToRun=true -nologo -v q -o "$dir" >"$dir.log" 2>&1 || { cat "$dir.log" >&2; exit 1; }
[[ -f $dir/xmppscan.dll ]] || { echo "publish-r2r.sh: $dir/xmppscan.dll not found" >&2; exit 1; }
echo "$dir/xmppscan.dll"
