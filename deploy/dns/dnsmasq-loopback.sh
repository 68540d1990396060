#!/bin/sh
# Runs dnsmasq in the foreground as a loopback-only, authoritative-for-the-config test resolver.
# The same flags the integration tests use (tests/ScanNode.Tests/Dns/Support/DnsmasqServer.cs).
#
#   deploy/dns/dnsmasq-loopback.sh CONFIG [ADDRESS] [PORT]
#   deploy/dns/dnsmasq-loopback.sh deploy/dns/example.conf 127.2.0.53 15353
#   dig @127.2.0.53 -p 15353 SRV _xmpp-client._tcp.example.test
#
# --no-resolv: no upstream servers, so nothing ever leaves loopback. Stop with Ctrl-C or kill <pid>.
set -eu
config=${1:?usage: $0 CONFIG [ADDRESS] [PORT]}
address=${2:-127.2.0.53}
port=${3:-15353}
case "$address" in
  127.*|::1) ;;
  *) echo "refusing to listen on $address: loopback only (127.0.0.0/8 or ::1)" >&2; exit 2 ;;
esac
[ -x /usr/sbin/dnsmasq ] || { echo "/usr/sbin/dnsmasq not found (Debian package dnsmasq-base)" >&2; exit 1; }
exec /usr/sbin/dnsmasq \
  --keep-in-foreground --no-resolv --no-hosts --no-poll \
  --conf-file="$config" \
  --listen-address="$address" --bind-interfaces --port="$port" \
  --pid-file= --user= --log-facility=-
