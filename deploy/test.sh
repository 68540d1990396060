#!/usr/bin/env bash
# Runs every test of the solution and prints the totals as one line "N passed, N failed".
# Test projects run one after another on purpose: integration tests bring the shared loopback testbed
# (deploy/testbed) up and down themselves, and two assemblies doing that at once would race.
# Usage: bash deploy/test.sh [extra dotnet test arguments, e.g. --filter ...]
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
results="$root/artifacts/test-results"
rm -rf "$results"; mkdir -p "$results"
# Screenshots and the browser tests' site land beside the .trx files (tests never write into the main job's artifacts/).
export XMPPSCAN_TEST_OUTPUT="$results"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# The README's test command on a machine that never ran anything: the packages the tests use first
# (a no-op, not even apt-get update, when they are all there; .ci/run has just done it).
if ! bash deploy/install-deps.sh; then
  echo "install-deps failed"
  echo "0 passed, 1 failed"
  exit 1
fi

if ! dotnet build XmppScanCluster.sln -c Release -nologo -v q; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

passed=0; failed=0; skipped=0; broken=0
for proj in tests/*/*.Tests.csproj; do
  name=$(basename "$proj" .csproj)
  echo "== $name"
  dotnet test "$proj" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" "$@" 2>&1 | grep -Ev '^\s*$|^\s*(Passed) ' \
    | awk '{ if (length($0) > 400) $0 = substr($0, 1, 400) " …"; if (++n <= 400) print; else dropped++ }
           END { if (dropped) print "… " dropped " more lines in the .trx file" }'
  # The first lines matter most (the first failure usually explains the rest); awk keeps reading after the
  # cap so dotnet test never dies of SIGPIPE before writing its .trx.
  trx="$results/$name.trx"
  if [ ! -f "$trx" ]; then
    echo "!! $name produced no results (test host crashed or failed to start)"
    broken=$((broken + 1)); continue
  fi
  # <Counters total=".." executed=".." passed=".." failed=".." ... notExecuted=".." />
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  s=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0})); skipped=$((skipped + ${s:-0}))
done

failed=$((failed + broken))
echo
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
