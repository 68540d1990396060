#!/bin/sh
# One login with xmppc (Debian xmppc, libstrophe) as $XMPP_JID / $XMPP_PASSWORD: list the roster and exit.
# xmppc documents no TLS option: default and strict are the same command (libstrophe's default flags). It refuses
# to start without ~/.config/xmppc.conf, so an empty one is written into the run's own HOME.
set -u
mkdir -p "$HOME/.config" && : > "$HOME/.config/xmppc.conf"
exec xmppc --jid "$XMPP_JID" --pwd "$XMPP_PASSWORD" --mode roster list
