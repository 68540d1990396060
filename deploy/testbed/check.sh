#!/usr/bin/env bash
# Verify a running testbed from the outside against deploy/testbed/servers.json:
# DNS records (stdlib resolver), listeners, and per server with openssl s_client
# (-starttls xmpp / xmpp-server -xmpphost DOMAIN; -alpn xmpp-client / xmpp-server on direct TLS):
# protocols, suite classes, DHE size, certificate chain/subject/SAN/verdict, STARTTLS required, SASL before TLS.
# TESTBED_CHECK_ONLY=dom1,dom2 restricts the server checks. Exit 1 on any mismatch.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export TESTBED_DIR="${TESTBED_DIR:-/tmp/xmppscan-testbed}"
export TESTBED_NET="${TESTBED_NET:-127.1.0}"
exec python3 "$here/lib/testbed.py" check
