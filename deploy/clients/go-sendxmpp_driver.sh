#!/bin/sh
# One login with go-sendxmpp (Debian go-sendxmpp) as $XMPP_JID / $XMPP_PASSWORD, sending one message to itself.
# default: no options (STARTTLS as the library decides, certificate verification on, minimum TLS 1.2).
# strict:  --tls-version 13 (its only documented hardening beyond the defaults; -t forces direct TLS, which would
#          skip the STARTTLS scenarios altogether).
set -u
extra=
[ "${1:-default}" = strict ] && extra="--tls-version 13"
echo "harness" | exec go-sendxmpp -u "$XMPP_JID" -p "$XMPP_PASSWORD" --timeout 8 $extra "$XMPP_JID"
