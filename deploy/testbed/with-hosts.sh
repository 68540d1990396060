#!/usr/bin/env bash
# Run one command with the testbed's names in /etc/hosts, for tools that only use the system resolver
# (sslscan uses the host as typed for the XMPP to=, nmap uses the reverse name). The system's /etc/hosts
# is never changed: the command runs in a private mount namespace (unshare -m) where
# $TESTBED_DIR/hosts is bind-mounted over /etc/hosts. Needs root (or CAP_SYS_ADMIN).
#   deploy/testbed/with-hosts.sh sslscan --starttls-xmpp modern.test:5222
set -euo pipefail
TESTBED_DIR="${TESTBED_DIR:-/tmp/xmppscan-testbed}"
hosts="$TESTBED_DIR/hosts"
[[ -f "$hosts" ]] || { echo "with-hosts.sh: $hosts missing: run deploy/testbed/up.sh first" >&2; exit 1; }
(($#)) || { echo "usage: with-hosts.sh COMMAND [ARGS...]" >&2; exit 2; }
exec unshare --mount --propagation private -- sh -c 'mount --bind "$1" /etc/hosts && shift && exec "$@"' sh "$hosts" "$@"
