#!/bin/sh
# One login with mcabber (Debian mcabber, loudmouth) as $XMPP_JID / $XMPP_PASSWORD. mcabber is a curses program
# that never exits by itself: it runs on a pseudo-terminal (script) and the harness stops it once the wire has
# settled the verdict, or at its deadline.
# default: a configuration file with jid and password only.   strict: plus `set tls = 1` (the manual: "You can
# require TLS by setting tls to 1") and `set ssl_ca` naming the system bundle.
set -u
mkdir -p "$HOME/.mcabber" && chmod 700 "$HOME/.mcabber"
rc="$HOME/.mcabber/mcabberrc"
{
  echo "set jid = $XMPP_JID"
  echo "set password = $XMPP_PASSWORD"
  if [ "${1:-default}" = strict ]; then
    echo "set tls = 1"
    echo "set ssl_ca = /etc/ssl/certs/ca-certificates.crt"
  fi
} > "$rc"
chmod 600 "$rc"
export TERM=xterm
exec script -qfec "mcabber -f $rc" /dev/null
