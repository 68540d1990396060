#!/usr/bin/env bash
# A network lab for region tests: each "host" is a network namespace whose only way out is a veth path to the root
# namespace through a delay bridge (deploy/netlab/delaybridge.py: sch_netem is not in this kernel), so its processes
# see a chosen round-trip time to everything on 127.0.0.0/8 of the root namespace (testbed, PostgreSQL, other nodes)
# and the root namespace reaches them at the host's address. Links can be cut and healed. See README.md.
#
#   RUN=$(netlab.sh new [--owner PID])          a run: names carry its id; its state in $NETLAB_STATE/RUN
#   netlab.sh host RUN NAME [--delay-ms MS]     a host; MS each way (default 0); prints "NS ADDRESS"
#   netlab.sh exec RUN NAME CMD...              run CMD inside the host (exec: the PID stays the same)
#   netlab.sh cut RUN NAME | heal RUN NAME      lose every frame both ways / pass them again
#   netlab.sh rtt RUN NAME ADDRESS              median of 5 pings from the host to ADDRESS, in ms
#   netlab.sh down RUN                          kill every process inside the run's namespaces, delete them
#   netlab.sh cleanup                           down every run whose owner process is gone (crashed tests)
#
#   host namespace xsnl-RUN-NAME          bridge namespace xsnl-RUN-NAME-br         root namespace
#   lo 127.0.0.1/32                       xh0 [delaybridge.py] xr0                   xnRUNhK (no address)
#   xh0 198.19.S.K/32  <------ veth ------->                    <------- veth ------->
#   route 127.0.0.0/8 via 198.19.S.1 onlink                   route 198.19.S.K/32 dev xnRUNhK src 127.198.19.S
#
# 127.0.0.1 stays local in the host; every other 127/8 address is routed out to the root namespace, which needs
# route_localnet on the two end devices (packets to and from 127/8 on a non-loopback device are otherwise
# "martian"). 198.19.0.0/16 (the RFC 2544 benchmarking range) exists only inside our namespaces and as /32 routes
# on our root-side devices; S is a per-run slot, K the host's number. Root-namespace traffic to a host leaves from
# 127.198.19.S (any 127/8 address is local there) unless the sender binds another 127/8 address: never 127.0.0.1,
# which a host answers itself. ARP refuses 127/8 senders, so both ends get
# a permanent neighbour entry for the other's MAC; 198.19.S.1 is no address anywhere. Hosts reach the root
# namespace, not each other (the root namespace does not forward). A cut sets the bridge's root-facing end down:
# frames are lost silently both ways, the host's own interface stays up (its processes notice only silence).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
state=${NETLAB_STATE:-/tmp/xmppscan-netlab}
prefix=xsnl

die() { echo "netlab: $*" >&2; exit 1; }
need_run() { [[ "${1:-}" =~ ^[0-9a-f]{6}$ && -d "$state/$1" ]] || die "no run '${1:-}' in $state"; }
need_name() { [[ "${1:-}" =~ ^[a-z][a-z0-9]{0,7}$ ]] || die "host name must match [a-z][a-z0-9]{0,7}, got '${1:-}'"; }
# "pid starttime" is alive (a recycled PID has another start time).
alive() { [[ -r "/proc/$1/stat" && "$(awk '{print $22}' "/proc/$1/stat" 2>/dev/null)" == "$2" ]]; }

cmd_new() {
  local owner=$PPID
  [[ "${1:-}" == --owner ]] && owner=${2:?--owner needs a PID}
  [[ -r "/proc/$owner/stat" ]] || die "owner $owner is not running"
  mkdir -p "$state"
  exec 9>"$state/.lock"
  flock 9
  local run slot used
  run=$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
  [[ ! -e "$state/$run" ]] || die "run id clash, try again"
  used=$(cat "$state"/*/slot 2>/dev/null || true)
  for slot in $(seq 2 254); do
    grep -qx "$slot" <<<"$used" && continue
    ip -4 route show root "198.19.$slot.0/24" | grep -q . && continue
    mkdir -p "$state/$run/hosts"
    echo "$slot" >"$state/$run/slot"
    echo "$owner $(awk '{print $22}' "/proc/$owner/stat")" >"$state/$run/owner"
    echo "$run"
    return 0
  done
  die "no free slot in 198.19.0.0/16"
}

cmd_host() {
  local run=${1:-} name=${2:-} delay=0
  need_run "$run"; need_name "$name"
  [[ "${3:-}" == --delay-ms ]] && delay=${4:?--delay-ms needs a number}
  [[ "$delay" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "--delay-ms must be a number, got '$delay'"
  local dir="$state/$run/hosts/$name" slot k
  [[ ! -e "$dir" ]] || die "host $name exists in run $run"
  slot=$(cat "$state/$run/slot")
  k=$(( $(ls "$state/$run/hosts" | wc -l) + 10 ))
  ((k < 250)) || die "too many hosts in run $run"
  mkdir -p "$dir"
  local ns="$prefix-$run-$name" br="$prefix-$run-$name-br" root="xn${run}h$k" addr="198.19.$slot.$k" gw="198.19.$slot.1"
  echo "$ns $addr $root $delay" >"$dir/info"
  ip netns add "$ns"
  ip netns add "$br"
  # Created inside the namespaces, so the host's and bridge's names never exist in the root namespace.
  ip link add xh0 netns "$ns" type veth peer name xh0 netns "$br"
  ip link add "$root" type veth peer name xr0 netns "$br"
  local end
  for end in "$ns:xh0" "$br:xh0" "$br:xr0" ":$root"; do
    local n=${end%%:*} dev=${end#*:} x=()
    [[ -n "$n" ]] && x=(ip netns exec "$n")
    # Offloads off: the bridge must see MTU-sized frames with complete checksums (delaybridge.py).
    "${x[@]}" ethtool -K "$dev" tso off gso off gro off tx off rx off >/dev/null 2>&1 || true
    "${x[@]}" sysctl -qw "net.ipv6.conf.$dev.disable_ipv6=1" >/dev/null 2>&1 || true
    "${x[@]}" ip link set "$dev" up
  done
  ip -n "$br" link set xh0 promisc on
  ip -n "$br" link set xr0 promisc on
  sysctl -qw "net.ipv4.conf.$root.route_localnet=1"
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 || true
  ip netns exec "$ns" sysctl -qw net.ipv4.conf.xh0.route_localnet=1
  ip -n "$ns" link set lo up
  ip -n "$ns" addr del 127.0.0.1/8 dev lo
  ip -n "$ns" addr add 127.0.0.1/32 dev lo
  ip -n "$ns" addr add "$addr/32" dev xh0
  # Source for root-namespace traffic to the host: a 127/8 address (local on lo) the host routes back out.
  ip route add "$addr/32" dev "$root" src "127.198.19.$slot"
  ip neigh replace "$addr" lladdr "$(ip netns exec "$ns" cat /sys/class/net/xh0/address)" dev "$root" nud permanent
  ip -n "$ns" neigh replace "$gw" lladdr "$(cat "/sys/class/net/$root/address")" dev xh0 nud permanent
  ip -n "$ns" route add 127.0.0.0/8 via "$gw" dev xh0 onlink src "$addr"

  # setsid + own files: the bridge outlives this script and holds none of its caller's pipes.
  rm -f "$dir/bridge.ready"
  setsid ip netns exec "$br" python3 "$here/delaybridge.py" xh0 xr0 "$delay" "$dir/bridge.ready" \
    >/dev/null 2>"$dir/bridge.log" </dev/null &
  local i
  for i in $(seq 100); do [[ -f "$dir/bridge.ready" ]] && break; sleep 0.1; done
  [[ -f "$dir/bridge.ready" ]] || die "bridge of $name did not start: $(cat "$dir/bridge.log")"
  echo "$ns $addr"
}

host_info() { # RUN NAME -> sets ns addr root
  need_run "$1"; need_name "$2"
  [[ -f "$state/$1/hosts/$2/info" ]] || die "no host $2 in run $1"
  read -r ns addr root _ <"$state/$1/hosts/$2/info"
}

cmd_exec() {
  local ns addr root
  host_info "${1:-}" "${2:-}"
  shift 2
  exec ip netns exec "$ns" "$@"
}

cmd_link() { # RUN NAME up|down
  local ns addr root
  host_info "$1" "$2"
  ip -n "$ns-br" link set xr0 "$3"
}

cmd_rtt() {
  local ns addr root
  host_info "${1:-}" "${2:-}"
  ip netns exec "$ns" ping -n -c 5 -i 0.2 -W 5 "${3:?rtt needs an address}" 2>/dev/null \
    | sed -n 's/.* time=\([0-9.]*\) ms.*/\1/p' | sort -n | awk '{v[NR]=$1} END {if (NR) print v[int((NR+1)/2)]; else exit 1}'
}

# Every process inside NS: TERM, up to 5 s, then KILL. Only this run starts processes in its namespaces.
kill_inside() {
  local ns=$1 pids i
  for i in $(seq 50); do
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    [[ -z "$pids" ]] && return 0
    # shellcheck disable=SC2086 # one PID per word
    if ((i == 1)); then kill $pids 2>/dev/null || true; fi
    sleep 0.1
  done
  # shellcheck disable=SC2086
  kill -9 $pids 2>/dev/null || true
  sleep 0.2
}

# Idempotent: also removes what a half-finished `host` left. Deleting the bridge namespace removes both veth pairs
# (and with the root end its route and neighbour entry).
cmd_down() {
  local run=$1 ns
  [[ "$run" =~ ^[0-9a-f]{6}$ ]] || die "bad run id '$run'"
  for ns in $(ip netns list | awk '{print $1}' | grep "^$prefix-$run-" || true); do
    kill_inside "$ns"
  done
  for ns in $(ip netns list | awk '{print $1}' | grep "^$prefix-$run-" || true); do
    ip netns del "$ns" 2>/dev/null || true
  done
  local dev
  for dev in $(ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | grep "^xn${run}h" || true); do
    ip link del "$dev" 2>/dev/null || true
  done
  rm -rf "${state:?}/$run"
}

# Runs whose owner is gone, and namespaces of ours without a run directory (its state was deleted).
cmd_cleanup() {
  local dir run owner start removed=0
  for dir in "$state"/*/; do
    [[ -d "$dir" ]] || continue
    run=$(basename "$dir")
    [[ "$run" =~ ^[0-9a-f]{6}$ ]] || continue
    read -r owner start <"$dir/owner" 2>/dev/null || { owner=0; start=0; }
    if ! alive "$owner" "$start"; then cmd_down "$run"; removed=$((removed + 1)); fi
  done
  for run in $(ip netns list | awk '{print $1}' | sed -n "s/^$prefix-\([0-9a-f]\{6\}\)-.*/\1/p" | sort -u); do
    [[ -d "$state/$run" ]] || { cmd_down "$run"; removed=$((removed + 1)); }
  done
  echo "removed $removed runs"
}

case "${1:-}" in
  new) shift; cmd_new "$@" ;;
  host) shift; cmd_host "$@" ;;
  exec) shift; cmd_exec "$@" ;;
  cut) need_run "${2:-}"; cmd_link "$2" "${3:-}" down ;;
  heal) need_run "${2:-}"; cmd_link "$2" "${3:-}" up ;;
  rtt) shift; cmd_rtt "$@" ;;
  down) cmd_down "${2:?down needs a run id}" ;;
  cleanup) cmd_cleanup ;;
  *) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
