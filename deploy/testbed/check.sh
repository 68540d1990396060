#!/usr/bin/env bash
# Verify a running testbed from the outside against deploy/testbed/servers.json:
# DNS records (stdlib resolver), listeners, and per server with openssl s_client
# (-starttls xmpp / xmpp-server -xmpphost DOMAIN; -alpn xmpp-client / xmpp-server on direct TLS):
# protocols, suite classes, DHE size, certificate chain/subject/SAN/verdict, STARTTLS required, SASL before TLS.
# --suites also enumerates every cipher suite per protocol on c2s STARTTLS (one handshake
# per suite and protocol: ~1,900 handshakes, 1-7 min depending on load) and compares
# with expect.cipher_suites. TESTBED_CHECK_ONLY=dom1,dom2 restricts the server checks. Exit 1 on any mismatch.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export TESTBED_DIR="${TESTBED_DIR:-/tmp/xmppscan-testbed}"
export TESTBED_NET="${TESTBED_NET:-127.1.0}"
export TESTBED_IPV6="${TESTBED_IPV6:-1}"
exec python3 "$here/lib/testbed.py" check "$@"
