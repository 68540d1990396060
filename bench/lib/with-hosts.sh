#!/bin/sh
# with-hosts.sh HOSTS_FILE COMMAND [ARGS...]: run COMMAND with HOSTS_FILE as its /etc/hosts, in a private
# mount namespace (unshare -m). The system's /etc/hosts is never changed. nmap (reverse name of the address
# as the XMPP to=) and sslscan (host as typed) only resolve through the system resolver. Needs root.
set -eu
[ $# -ge 2 ] || { echo "usage: with-hosts.sh HOSTS_FILE COMMAND [ARGS...]" >&2; exit 2; }
exec unshare --mount --propagation private -- sh -c 'mount --bind "$1" /etc/hosts && shift && exec "$@"' sh "$@"
