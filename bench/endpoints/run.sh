#!/usr/bin/env bash
# Floor benchmark (issue 14): N simulated XMPP c2s endpoints on loopback (endpoints.py: four fixed TLS profiles
# and generated ones the code was not tuned on), scanned side by side in one run by
#   - nmap ssl-enum-ciphers (all addresses in one nmap, its own parallelism),
#   - xmppscan scan (every domain in one process, --json: the findings),
#   - xmppscan census --depth assessment and --depth full (TARGETS targets in flight, --spacing 0, --max-per-ip 2).
# Per tool: wall and CPU (user+sys of the process tree, /usr/bin/time), connections (counted by the server),
# and for xmppscan scan vs nmap the findings per endpoint (compare.py). Needs root (nmap's /etc/hosts).
#
#   bench/endpoints/run.sh [--n 100] [--seed 14] [--xmppscan DIR/xmppscan.dll or DIR/xmppscan | --r2r] [--label after] [--in-flight 100]
#                          [--tools nmap,scan,census-assessment,census-full] [--out DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
n=100 seed=14 label=run in_flight=100 r2r=0 tools=nmap,scan,census-assessment,census-full
dll=$root/src/Coordinator/bin/Release/net10.0/xmppscan.dll
out=$root/bench/results/endpoints-$(date -u +%Y%m%dT%H%M%SZ)
while (($#)); do
  case "$1" in
    --n) n=$2; shift ;; --seed) seed=$2; shift ;; --xmppscan) dll=$2; shift ;; --r2r) r2r=1 ;; --label) label=$2; shift ;;
    --in-flight) in_flight=$2; shift ;; --tools) tools=$2; shift ;; --out) out=$2; shift ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
[[ "$(id -u)" -eq 0 ]] || { echo "run.sh: needs root (nmap runs with a private /etc/hosts)" >&2; exit 1; }
# Each tool checked before anything starts: without dnsmasq every census target fails to resolve, and the rows would
# still print a CPU figure for a census that connected nowhere.
for need in /usr/bin/time dnsmasq openssl python3 $([[ ,$tools, == *,nmap,* ]] && echo nmap); do
  command -v "$need" >/dev/null || { echo "run.sh: needs $need (deploy/install-deps.sh installs it)" >&2; exit 2; }
done
net=${XMPPSCAN_FREE_NET:-127.174}
dns=$net.255.53
mkdir -p "$out"
work=$out/work
mkdir -p "$work"

# A CA and an RSA leaf for *.bench.test, DH parameters (RFC 7919 ffdhe2048).
if [[ ! -f $work/leaf.pem ]]; then
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/ca.key" -out "$work/ca.pem" -days 30 -subj "/CN=bench CA" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -keyout "$work/leaf.key" -out "$work/leaf.csr" -subj "/CN=bench.test" 2>/dev/null
  printf 'subjectAltName=DNS:*.bench.test\n' >"$work/ext"
  openssl x509 -req -in "$work/leaf.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial -days 30 \
    -extfile "$work/ext" -out "$work/leaf.pem" 2>/dev/null
  openssl genpkey -genparam -algorithm DH -pkeyopt group:ffdhe2048 -out "$work/dh.pem"
fi
python3 bench/endpoints/endpoints.py plan "$n" "$net" "$seed" >"$work/plan.json"
python3 - "$work" <<'EOF'
import json, sys
w = sys.argv[1]
eps = json.load(open(f"{w}/plan.json"))["endpoints"]
open(f"{w}/hosts", "w").write("127.0.0.1 localhost\n" + "".join(f"{e['address']} {e['domain']}\n" for e in eps))
open(f"{w}/targets", "w").write("".join(e["domain"] + "\n" for e in eps))
open(f"{w}/addresses", "w").write(" ".join(e["address"] for e in eps))
open(f"{w}/dnsmasq.conf", "w").write("".join(f"host-record={e['domain']},{e['address']}\n" for e in eps))
EOF

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
python3 bench/endpoints/endpoints.py serve "$work/plan.json" "$work/leaf.pem" "$work/leaf.key" "$work/dh.pem" >"$work/server.log" 2>&1 &
pids+=($!)
server=$!
dnsmasq --no-daemon --conf-file="$work/dnsmasq.conf" --no-resolv --no-hosts --bind-interfaces \
  --listen-address="$dns" --port=5353 --local=/bench.test/ >"$work/dnsmasq.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q serving "$work/server.log" 2>/dev/null && break; sleep 0.2; done

counts() {
  rm -f "$work/plan.json.counts"
  kill -USR1 "$server"
  for _ in $(seq 100); do [[ -s $work/plan.json.counts ]] && break; sleep 0.1; done
  python3 -c "import json,sys; print(sum(json.load(open(sys.argv[1])).values()))" "$work/plan.json.counts"; }

results=$out/results.tsv
[[ -f $results ]] || printf 'label\ttool\twall_s\tcpu_s\tconnections\n' >"$results"
measure() { # NAME COMMAND...
  local name=$1; shift
  local before after
  before=$(counts)
  /usr/bin/time -f '%e %U %S' -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err" || true
  after=$(counts)
  # The last line: GNU time writes "Command exited with non-zero status N" first when the tool fails (xmppscan scan
  # exits non-zero when a grade is below its threshold).
  read -r wall user sys < <(tail -n 1 "$work/$name.time")
  printf '%s\t%s\t%s\t%.2f\t%s\n' "$label" "$name" "$wall" "$(echo "$user + $sys" | bc)" "$((after - before))" | tee -a "$results"
}

# --xmppscan: an xmppscan.dll (run by dotnet) or a native executable (a Native AOT publish, bench/startup).
# --r2r: the published tool instead of the build (ReadyToRun, bench/lib/publish-r2r.sh), published into the output.
((r2r)) && dll=$(bash bench/lib/publish-r2r.sh "$out/r2r")
xmppscan=(dotnet "$dll")
[[ $dll == *.dll ]] || xmppscan=("$dll")
IFS=, read -ra tool_list <<<"$tools"
for t in "${tool_list[@]}"; do
  case "$t" in
    nmap) measure nmap bench/lib/with-hosts.sh "$work/hosts" nmap --system-dns -Pn -sT -p 5222 --script ssl-enum-ciphers \
            -oX "$work/nmap.xml" $(cat "$work/addresses") ;;
    scan) measure scan "${xmppscan[@]}" scan --dns "$dns:5353" --trust-anchors "$work/ca.pem" --no-system-trust --timeout 10 \
            --skip vulnerabilities,clients --max-connections-per-server 2 --progress none --json "$work/xmppscan-$label.json" \
            $(cat "$work/targets") ;;
    census-assessment | census-full)
      rm -f "$work/$t.db" "$work/$t.events.db" "$work/$t.events.db-wal" "$work/$t.events.db-shm"
      measure "$t" "${xmppscan[@]}" census --targets "$work/targets" --store "sqlite:$work/$t.db" --dns "$dns:5353" \
        --trust-anchors "$work/ca.pem" --no-system-trust --spacing 0 --max-per-ip 2 --targets-in-flight "$in_flight" \
        --depth "${t#census-}" --progress none ;;
  esac
done
if [[ -f $work/nmap.xml && -f $work/xmppscan-$label.json ]]; then
  python3 bench/endpoints/compare.py "$work/plan.json" "$work/xmppscan-$label.json" "$work/nmap.xml" | tee "$out/compare-$label.json"
fi
# The census rows' findings too: the assessments their journals hold, against the same nmap run.
for t in census-assessment census-full; do
  if [[ -f $work/nmap.xml && -f $work/$t.events.db && ,$tools, == *,$t,* ]]; then
    python3 bench/endpoints/census_json.py "$work/$t.events.db" >"$work/$t-$label.json"
    python3 bench/endpoints/compare.py "$work/plan.json" "$work/$t-$label.json" "$work/nmap.xml" | tee "$out/compare-$t-$label.json"
  fi
done
echo "results: $results"
