#!/bin/sh
# One login with sendxmpp (Debian sendxmpp, Perl Net::XMPP) as $XMPP_JID / $XMPP_PASSWORD, one message to itself.
# default: no options (the manual: TLS only with -t).   strict: -t --tls-ca-path /etc/ssl/certs.
set -u
user=${XMPP_JID%@*}
extra=
[ "${1:-default}" = strict ] && extra="-t --tls-ca-path /etc/ssl/certs"
echo "harness" | exec sendxmpp -u "$user" -p "$XMPP_PASSWORD" -j "$XMPP_DOMAIN" $extra "$XMPP_JID"
