# shellcheck shell=bash
# Loopback part of the benchmark, isolated: the scanners run in a network namespace of their own (L) whose
# only way out is a veth pair to the root namespace, routed to the shared testbed on 127.1.0.0/24. The
# capture runs on that veth, so it holds our connections only. Captured on lo instead, the counts included
# whatever other users of the shared testbed did at the same time (seen: a sequential testssl.sh with 3
# connections open at once and +30 % connections). Sourced by bench/run.sh.
#
#   namespace L: lo 127.0.0.1/32, xsi1 198.19.255.2/32,       root namespace: xsi<PID> (no address),
#                route 127.1.0.0/24 via 198.19.255.1 onlink    route 198.19.255.2/32 dev xsi<PID>
#
# 127.0.0.0/8 is normally local in every namespace; L keeps only 127.0.0.1/32 so 127.1.0.x is routed out.
# Packets to and from a 127/8 address on a non-loopback device are "martian" unless route_localnet is set
# on that device: it is set on our two veth ends only. 198.19.255.1 is not an address anywhere: both sides
# have a permanent neighbour entry for the other's MAC (ARP refuses 127/8 senders). Deleting the root end
# removes its route and neighbour entry; deleting L removes the rest.

ISO_NS="xsbench-$$-l"
ISO_ROOT_DEV="xsi$$"
ISO_CLIENT_ADDR=198.19.255.2
ISO_GATEWAY=198.19.255.1
ISO_UP=0

# isolate_up NET_PREFIX (127.1.0): the testbed's /24.
isolate_up() {
  local net=$1 m0 m1
  ISO_UP=1
  ip netns add "$ISO_NS"
  ip link add "$ISO_ROOT_DEV" type veth peer name xsi1 netns "$ISO_NS"
  sysctl -qw "net.ipv6.conf.$ISO_ROOT_DEV.disable_ipv6=1" || true
  sysctl -qw "net.ipv4.conf.$ISO_ROOT_DEV.route_localnet=1"
  ip link set "$ISO_ROOT_DEV" up
  ip netns exec "$ISO_NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 || true
  ip netns exec "$ISO_NS" sysctl -qw net.ipv4.conf.xsi1.route_localnet=1
  ip -n "$ISO_NS" link set lo up
  ip -n "$ISO_NS" addr del 127.0.0.1/8 dev lo
  ip -n "$ISO_NS" addr add 127.0.0.1/32 dev lo
  ip -n "$ISO_NS" link set xsi1 up
  ip -n "$ISO_NS" addr add "$ISO_CLIENT_ADDR/32" dev xsi1
  m0=$(cat "/sys/class/net/$ISO_ROOT_DEV/address")
  m1=$(ip netns exec "$ISO_NS" cat /sys/class/net/xsi1/address)
  ip route add "$ISO_CLIENT_ADDR/32" dev "$ISO_ROOT_DEV"
  ip neigh replace "$ISO_CLIENT_ADDR" lladdr "$m1" dev "$ISO_ROOT_DEV" nud permanent
  ip -n "$ISO_NS" neigh replace "$ISO_GATEWAY" lladdr "$m0" dev xsi1 nud permanent
  ip -n "$ISO_NS" route add "$net.0/24" via "$ISO_GATEWAY" dev xsi1 onlink src "$ISO_CLIENT_ADDR"
}

# Idempotent; safe from an EXIT trap after a partial isolate_up.
isolate_down() {
  ((ISO_UP)) || return 0
  ip link del "$ISO_ROOT_DEV" 2>/dev/null || true
  ip netns del "$ISO_NS" 2>/dev/null || true
  ISO_UP=0
}
