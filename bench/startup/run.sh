#!/usr/bin/env bash
# Start-up benchmark (issue 14): one `xmppscan scan` of one testbed domain, process start to exit, as built
# (framework-dependent, JIT), as published ReadyToRun (`dotnet publish -r linux-x64 -p:PublishReadyToRun=true`,
# which precompiles the assemblies scan and census load, all but LanguageExt: see the Coordinator's csproj) and as published Native AOT
# (`-p:PublishAot=true`: no JIT at all), against nmap ssl-enum-ciphers and sslscan on the same server (each tool's
# command from bench/lib/tools.sh: the same job as bench/run.sh's rows). Also `xmppscan --version` for the bare
# start-up. Rows: | tool | run | wall_s | cpu_s | exit |. Then one more scan per xmppscan build with the JIT's method
# summary on (DOTNET_JitStdOutFile, not timed): `jit:` lines count the methods each build compiled at run time.
#
#   bash bench/startup/run.sh [--server modern] [--runs 3] [--built DLL] [--r2r DIR] [--aot DIR] [--out DIR]
#   (--r2r DIR / --aot DIR: an existing ReadyToRun / Native AOT publish; without them the script publishes into
#   OUT/r2r and OUT/aot. --built: another build's xmppscan.dll than src/Coordinator/bin/Release/net10.0's)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
server=modern runs=3 r2r="" aot="" built="" out=$root/bench/results/startup-$(date -u +%Y%m%dT%H%M%SZ)
while (($#)); do
  case "$1" in
    --server) server=$2; shift ;; --runs) runs=$2; shift ;; --r2r) r2r=$2; shift ;; --out) out=$2; shift ;;
    --aot) aot=$2; shift ;;
    --built) built=$2; shift ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$out"
BENCH_LIB=$root/bench/lib
# shellcheck source=../lib/tools.sh
source "$BENCH_LIB/tools.sh"

testbed_env="${TESTBED_DIR:-/tmp/xmppscan-testbed}/testbed.env"
answers() {
  [[ -f "$testbed_env" ]] || return 1
  # shellcheck disable=SC1090
  source "$testbed_env"
  local addr
  addr=$(python3 "$BENCH_LIB/servers.py" "$TESTBED_MANIFEST" "$server" address) || return 1
  timeout 2 bash -c "exec 3<>/dev/tcp/$addr/5222" 2>/dev/null
}
answers || { bash deploy/testbed/up.sh >&2; answers; }
BENCH_DNS=$TESTBED_DNS
BENCH_HOSTS=$out/hosts
python3 "$BENCH_LIB/servers.py" "$TESTBED_MANIFEST" --hosts >"$BENCH_HOSTS"
domain=$(python3 "$BENCH_LIB/servers.py" "$TESTBED_MANIFEST" "$server" domain)
address=$(python3 "$BENCH_LIB/servers.py" "$TESTBED_MANIFEST" "$server" address)

built=${built:-$root/src/Coordinator/bin/Release/net10.0/xmppscan.dll}
[[ -f $built ]] || bash deploy/dotnet.sh build src/Coordinator -c Release -nologo -v q >&2
if [[ -z $r2r ]]; then
  r2r=$out/r2r
  bash bench/lib/publish-r2r.sh "$r2r" >/dev/null
fi
[[ -f $r2r/xmppscan.dll ]] || { echo "run.sh: $r2r/xmppscan.dll not found" >&2; exit 1; }
python3 bench/startup/r2r.py "$r2r" | sed 's/^/r2r: /'
if [[ -z $aot ]]; then
  aot=$out/aot
  bash deploy/dotnet.sh publish src/Coordinator -c Release -r linux-x64 -p:PublishAot=true -nologo -v q -o "$aot" >"$out/publish-aot.log" 2>&1 \
    || { cat "$out/publish-aot.log" >&2; exit 1; }
fi
[[ -x $aot/xmppscan ]] || { echo "run.sh: $aot/xmppscan not found" >&2; exit 1; }
echo "aot: xmppscan $(($(stat -c %s "$aot/xmppscan") / 1048576)) MiB, $(find "$aot" -name '*.dll' | wc -l) .dll files beside it"
# The AOT build runs scan; the commands that start Akka.NET are refused with one line (Cli/NativeAotCommands.cs).
# In OUT: a build that did start the census would create its store in the working directory.
census_status=0
(cd "$out" && "$aot/xmppscan" census --targets /dev/null >/dev/null 2>aot-census.err) || census_status=$?
echo "aot: census exit $census_status: $(head -c 300 "$out/aot-census.err" | head -n 1)"

row() { # TOOL RUN COMMAND...
  local tool=$1 run=$2; shift 2
  local status=0
  /usr/bin/time -f '%e %U %S' -o "$out/time" "$@" >"$out/last.out" 2>"$out/last.err" || status=$?
  read -r wall user sys < <(tail -n 1 "$out/time")
  printf '| %s | %s | %s | %.2f | %s |\n' "$tool" "$run" "$wall" "$(echo "$user + $sys" | bc)" "$status"
}

echo "load: $(uptime)"
echo "server: $server ($domain, $address:5222)"
echo "| tool | run | wall_s | cpu_s | exit |"
echo "|---|---|---|---|---|"
for ((i = 1; i <= runs; i++)); do
  row "xmppscan --version (framework-dependent)" "$i" dotnet "$built" --version
  row "xmppscan --version (ReadyToRun)" "$i" dotnet "$r2r/xmppscan.dll" --version
  row "xmppscan --version (Native AOT)" "$i" "$aot/xmppscan" --version
  XMPPSCAN_DLL=$built tool_command xmppscan "$domain" "$address" 5222 "$out/xmppscan.json"
  row "xmppscan scan (framework-dependent)" "$i" "${CMD[@]}"
  XMPPSCAN_DLL=$r2r/xmppscan.dll tool_command xmppscan "$domain" "$address" 5222 "$out/xmppscan-r2r.json"
  row "xmppscan scan (ReadyToRun)" "$i" "${CMD[@]}"
  XMPPSCAN_DLL=$aot/xmppscan tool_command xmppscan "$domain" "$address" 5222 "$out/xmppscan-aot.json"
  row "xmppscan scan (Native AOT)" "$i" "${CMD[@]}"
  tool_command nmap "$domain" "$address" 5222 "$out/nmap.xml"
  row "nmap ssl-enum-ciphers" "$i" "${CMD[@]}"
  tool_command sslscan "$domain" "$address" 5222 "$out/sslscan.xml"
  row "sslscan" "$i" "${CMD[@]}"
done
# Methods compiled at run time, per build (one untimed scan each; the summary file is written by the JIT itself).
for build in "framework-dependent:$built" "ReadyToRun:$r2r/xmppscan.dll" "Native AOT:$aot/xmppscan"; do
  rm -f "$out/jit.txt"
  XMPPSCAN_DLL=${build#*:} tool_command xmppscan "$domain" "$address" 5222 "$out/xmppscan-jit.json"
  DOTNET_JitStdOutFile=$out/jit.txt DOTNET_JitDisasmSummary=1 "${CMD[@]}" >/dev/null 2>&1 || true
  total=0 stj=0
  if [[ -f $out/jit.txt ]]; then
    total=$(grep -c "JIT compiled" "$out/jit.txt" || true)
    stj=$(grep -c "JIT compiled System\.Text\.Json" "$out/jit.txt" || true)
  fi
  echo "jit: ${build%%:*}: $total methods compiled at run time, $stj of them System.Text.Json's"
done
echo "load: $(uptime)"
