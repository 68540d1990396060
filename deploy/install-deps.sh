#!/usr/bin/env bash
# Installs the Debian packages the testbed, the tests and the benchmarks use. Idempotent: does nothing
# (not even apt-get update) when everything is already there.
# The XMPP servers' packages try to start system services on all interfaces when installed; a
# policy-rc.d that exits 101 stops that for the duration of the install (TESTBED-NOTES). We only ever run
# our own instances, bound to loopback.
set -euo pipefail
# chromium: the headless browser the site and dashboard tests drive with PuppeteerSharp (this binary; nothing downloaded).
packages=(prosody lua-sec ejabberd dnsmasq-base openssl gnutls-bin postgresql iproute2 procps psmisc chromium
          util-linux tcpdump testssl.sh nmap sslscan python3 ethtool iputils-ping time bind9-dnsutils
          # knot: the authoritative DNS of bench/federation (an indexed zone; dnsmasq walks its SRV list per question).
          # python3-cryptography: its per-domain certificates (bench/federation/certs.py).
          knot python3-cryptography
          # xmppscan clients: the real XMPP client implementations it runs (deploy/clients/drivers.json).
          python3-slixmpp python3-aioxmpp python3-nbxmpp xmppc go-sendxmpp sendxmpp mcabber
          # gloox has no command-line client: its driver is compiled (g++) from deploy/clients/gloox_driver.cpp.
          libgloox-dev g++
          # The Native AOT publish of xmppscan (bench/startup): clang drives the native link, zlib is linked in.
          clang zlib1g-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Client-simulation tests compare real TLS libraries with their recorded hellos: Java 17 (javac for the
# one-handshake client) and Node. Checked by command, since either may come from another package source.
command -v javac >/dev/null || missing+=(openjdk-17-jdk-headless)
command -v node >/dev/null || missing+=(nodejs)
# Compiled once per source version into /var/cache/xmppscan, so that no client run pays for the compiler.
build_client_drivers() { sh "$(dirname "$0")/clients/gloox_driver.sh" --build; }
if [ ${#missing[@]} -eq 0 ]; then build_client_drivers; exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages (${missing[*]}); run as root or install them" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; created_policy=1
fi
trap '[ "$created_policy" = 1 ] && rm -f "$policy"' EXIT
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
build_client_drivers
