#!/usr/bin/env bash
# Starts a simulated federation (issue 14) in DIR and returns once every server listens and the DNS answers:
#   bench/federation/up.sh DIR [--domains 500] [--addresses 60] [--seed 14] [--skew 1.1] [--workers 2] [--delay-ms 0]
#                              [--base 100] [--port-profile KIND=PROFILE] [--certs one|per-domain]
# Writes DIR/plan.json (federation.py), DIR/fed.test.zone and DIR/targets, a CA and a *.fed.test leaf, and
# DIR/federation.env (FED_DNS=ADDRESS:PORT, FED_CA, FED_TARGETS, FED_PLAN, FED_WORKERS). Stop it with down.sh DIR
# (it ends exactly the PIDs in DIR/pids). Addresses: $XMPPSCAN_FREE_NET (a /16 prefix, default 127.176), servers from
# NET.BASE.1 on, the DNS on NET.(BASE-1).53: two federations with different --base run side by side.
# --port-profile c2s-directtls=intermediate: every server serves that profile on that port (server.py): ports that differ.
# --certs per-domain: every domain shows its own leaf (certs.py, DIR/certs; chosen by SNI) instead of the one *.fed.test
# leaf: what a scanner's per-certificate caches meet in a real federation.
# The DNS is Knot (knotd, authoritative for fed.test from DIR/fed.test.zone, every path under DIR/knot): its zone is
# indexed, so a question costs the same at 20 and 10,000 domains (dnsmasq walked its srv-host list per question).
# Loopback only: every address is in 127.0.0.0/8.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:?usage: up.sh DIR [--domains N] [--addresses A] [--seed S] [--skew X] [--workers K] [--delay-ms D] [--base B]}
shift
domains=500 addresses=60 seed=14 skew=1.1 workers=2 delay=0 base=100 port_profiles=() certs=one
while (($#)); do
  case "$1" in
    --domains) domains=$2 ;; --addresses) addresses=$2 ;; --seed) seed=$2 ;; --skew) skew=$2 ;;
    --workers) workers=$2 ;; --delay-ms) delay=$2 ;; --base) base=$2 ;; --port-profile) port_profiles+=(--port-profile "$2") ;;
    --certs) certs=$2 ;;
    *) echo "up.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift 2
done
net=${XMPPSCAN_FREE_NET:-127.176}
[[ $net =~ ^127\.[0-9]{1,3}$ ]] || { echo "up.sh: XMPPSCAN_FREE_NET must be a 127.X prefix, got '$net'" >&2; exit 2; }
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

# A CA and one RSA-2048 leaf for *.fed.test (every domain and host name is one label under it), ffdhe2048.
if [[ ! -f $dir/leaf.pem ]]; then
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/ca.key" -out "$dir/ca.pem" -days 30 -subj "/CN=federation CA" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -keyout "$dir/leaf.key" -out "$dir/leaf.csr" -subj "/CN=fed.test" 2>/dev/null
  printf 'subjectAltName=DNS:*.fed.test,DNS:fed.test\n' >"$dir/ext"
  openssl x509 -req -in "$dir/leaf.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -days 30 \
    -extfile "$dir/ext" -out "$dir/leaf.pem" 2>/dev/null
  openssl genpkey -genparam -algorithm DH -pkeyopt group:ffdhe2048 -out "$dir/dh.pem"
fi
python3 "$here/federation.py" plan "$domains" "$addresses" "$net" "$seed" "$skew" "$base" >"$dir/plan.json"
python3 "$here/federation.py" dns "$dir/plan.json" "$dir"
cert_args=()
case $certs in
  one) ;;
  per-domain)
    rm -rf "$dir/certs"
    python3 "$here/certs.py" "$dir/plan.json" "$dir/ca.pem" "$dir/ca.key" "$dir/leaf.key" "$dir/certs"
    cert_args=(--certs "$dir/certs") ;;
  *) echo "up.sh: --certs must be one or per-domain, got '$certs'" >&2; exit 2 ;;
esac
dns_addr=$net.$((base - 1)).53
# Refuse a block in use (another federation on the same --base): a second listener may bind beside the first and
# take part of its connections and DNS questions.
in_use=$(ss -Hltun | python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))
mine = {s["address"] for s in p["servers"]} | {sys.argv[2]}
print(" ".join(sorted({l.split()[4].rsplit(":", 1)[0] for l in sys.stdin if len(l.split()) > 4} & mine)))' "$dir/plan.json" "$dns_addr")
[[ -z $in_use ]] || { echo "up.sh: addresses in use (another federation? use another --base): $in_use" >&2; exit 1; }

: >"$dir/pids"
started=$(date +%s.%N)
# One UDP and one TCP worker (like dnsmasq's one thread, so the CPU per question compares); no journal, no zone-file
# sync: the zone is generated and read-only. knotd stays in the foreground (no -d), so its PID is the one to stop.
rm -rf "$dir/knot" && mkdir -p "$dir/knot"
cat >"$dir/knot.conf" <<EOF
server:
    rundir: "$dir/knot"
    listen: $dns_addr@5353
    udp-workers: 1
    tcp-workers: 1
    background-workers: 1
database:
    storage: "$dir/knot"
log:
  - target: stderr
    any: warning
zone:
  - domain: fed.test
    file: "$dir/fed.test.zone"
    journal-content: none
    zonefile-sync: -1
EOF
knotd --config "$dir/knot.conf" >"$dir/knot.log" 2>&1 &
echo $! >>"$dir/pids"
for w in $(seq 0 $((workers - 1))); do
  python3 "$here/server.py" "$dir/plan.json" "$dir/leaf.pem" "$dir/leaf.key" "$dir/dh.pem" "$w" "$workers" \
    --delay-ms "$delay" "${port_profiles[@]}" "${cert_args[@]}" >"$dir/server-$w.log" 2>&1 &
  echo $! >>"$dir/pids"
done

# DNS: the last domain's SRV record (knotd answers SERVFAIL until the zone is loaded).
last=$(tail -n 1 "$dir/targets")
alive() { local p; while read -r p; do kill -0 "$p" 2>/dev/null || return 1; done <"$dir/pids"; }
for _ in $(seq 600); do
  alive || break
  dig +short +time=1 +tries=1 -p 5353 "@$dns_addr" SRV "_xmpp-client._tcp.$last" 2>/dev/null | grep -q fed.test && break
  sleep 0.1
done
dig +short +time=1 +tries=1 -p 5353 "@$dns_addr" SRV "_xmpp-client._tcp.$last" | grep -q fed.test \
  || { echo "up.sh: knotd does not answer (log: $(tail -n 3 "$dir/knot.log"))" >&2; bash "$here/down.sh" "$dir"; exit 1; }
dns_ready=$(date +%s.%N)
for w in $(seq 0 $((workers - 1))); do
  for _ in $(seq 600); do grep -q serving "$dir/server-$w.log" 2>/dev/null && break; alive || break; sleep 0.1; done
  grep -q serving "$dir/server-$w.log" \
    || { echo "up.sh: server worker $w did not start: $(tail -n 5 "$dir/server-$w.log")" >&2; bash "$here/down.sh" "$dir"; exit 1; }
done
cat >"$dir/federation.env" <<EOF
FED_DNS=$dns_addr:5353
FED_CA=$dir/ca.pem
FED_TARGETS=$dir/targets
FED_PLAN=$dir/plan.json
FED_WORKERS=$workers
EOF
awk -v a="$started" -v b="$dns_ready" -v d="$dir" -v s="$(cat "$dir"/server-*.log | tr '\n' ' ')" \
  'BEGIN { printf "federation: up in %s (DNS answered %.1f s after start; %s)\n", d, b - a, s }' 
