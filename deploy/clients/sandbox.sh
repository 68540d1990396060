#!/bin/sh
# The sandbox of `xmppscan clients`, entered as
#   unshare --net --mount --fork -- sh sandbox.sh WORKDIR COMMAND...
# A new network namespace holds only loopback: no client can reach any other address, whatever it resolves or
# has compiled in. In the private mount namespace /etc/resolv.conf names the harness's dnsmasq (so SRV and A
# lookups land on the hostile servers) and /etc/ssl/certs is an empty tmpfs into which the harness writes its CA:
# clients using the system trust store trust exactly the harness CA. The host's files are untouched.
# OPENSSL_CONF lets the harness's own SslStream serve TLS 1.0 and SHA-1 (security level 0, TESTBED-NOTES); the
# driver runner removes it again for the clients, which keep Debian's defaults.
set -eu
work=${1:?usage: sandbox.sh WORKDIR COMMAND...}; shift
net=${XMPPSCAN_CLIENTS_NET:-127.128}
mount --make-rprivate /
ip link set lo up
# glibc's getaddrinfo with AI_ADDRCONFIG (GIO, so nbxmpp) returns no IPv4 address while only loopback is configured:
# a veth pair whose both ends stay in this namespace carries one /32 from the benchmarking range and no route.
ip link add harness0 type veth peer name harness1
ip addr add 198.18.0.1/32 dev harness0
ip link set harness0 up
ip link set harness1 up
printf 'nameserver %s.0.53\noptions attempts:2 timeout:2\n' "$net" > "$work/resolv.conf"
mount --bind "$work/resolv.conf" /etc/resolv.conf
printf '127.0.0.1 localhost\n' > "$work/hosts"
mount --bind "$work/hosts" /etc/hosts
mount -t tmpfs -o size=4m tmpfs /etc/ssl/certs
cat > "$work/openssl-harness.cnf" <<'CNF'
openssl_conf = harness_conf
[harness_conf]
ssl_conf = harness_ssl
[harness_ssl]
system_default = harness_default
[harness_default]
MinProtocol = TLSv1
CipherString = ALL:@SECLEVEL=0
CNF
export OPENSSL_CONF="$work/openssl-harness.cnf" XMPPSCAN_CLIENTS_SANDBOX=1 XMPPSCAN_CLIENTS_NET="$net"
exec "$@"
