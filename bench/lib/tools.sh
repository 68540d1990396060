# shellcheck shell=bash
# How each scanner is run against one XMPP c2s STARTTLS server. Sourced by bench/run.sh.
# tool_command TOOL DOMAIN ADDRESS PORT OUTPUT_FILE sets the array CMD. BENCH_CAP_CONCURRENCY=1 (latency
# mode) asks every tool for at most 2 connections at once to the server.
#
# How each peer is pointed at the XMPP domain (TESTBED-NOTES, checked against the sources):
# - testssl.sh 3.0.8: --starttls xmpp --xmpphost DOMAIN (the stream's to=); -E (--cipher-per-proto) is the
#   mode that lists the accepted suites per protocol (the default run does everything except -E).
#   --nodns none: no reverse lookups that would leave the machine.
# - nmap 7.93 ssl-enum-ciphers: sslcert.lua's xmpp_prepare_tls_without_reconnect writes to='host.name', the
#   reverse-DNS name (empty with -n, and --dns-servers cannot take dnsmasq's port 5353). With --system-dns
#   the reverse name comes from getnameinfo(), i.e. /etc/hosts: we run nmap with a private /etc/hosts
#   (lib/with-hosts.sh) that maps the address to the domain. The script is not sequential: it runs one
#   thread per protocol (5 connections open at once on loopback). In latency mode --max-parallelism 1: NSE
#   frees a socket slot before the server's FIN arrives, so 2 gives 3 connections open at once, 1 gives 2.
# - sslscan 2.0.7: --starttls-xmpp uses the host as typed for to=, so it gets DOMAIN:PORT and the same
#   private /etc/hosts to resolve DOMAIN to the server address.

BENCH_CAP_CONCURRENCY=${BENCH_CAP_CONCURRENCY:-0}
TESTSSL_ARGS=${TESTSSL_ARGS:--E}
XMPPSCAN_EXTRA_ARGS=${XMPPSCAN_EXTRA_ARGS:-}
# Per-connection timeout of xmppscan and testssl.sh, seconds. The smoke test raises it: it checks the scripts on a
# loaded CI machine, where a 10 s handshake deadline through the delay bridge can be missed (a bench keeps 10).
BENCH_TIMEOUT=${BENCH_TIMEOUT:-10}

# The one place that knows how xmppscan is invoked. XMPPSCAN_DLL, BENCH_DNS and TESTBED_CA_BUNDLE come from
# run.sh. --connect scans exactly that server for the domain, without DNS. XMPPSCAN_DLL is an xmppscan.dll (run by
# dotnet) or a native executable (the Native AOT publish, bench/startup).
xmppscan_command() {
  local domain=$1 address=$2 port=$3 json=$4
  local run=(dotnet "$XMPPSCAN_DLL")
  [[ $XMPPSCAN_DLL == *.dll ]] || run=("$XMPPSCAN_DLL")
  # The peers enumerate protocols and suites only: xmppscan does the same work for the comparison (its
  # session, per-key-type chains and the assessment), without the vulnerability probes and the client
  # simulation, which the peers' enumeration modes do not run either.
  CMD=("${run[@]}" scan --connect "$address:$port" --dns "$BENCH_DNS"
       --trust-anchors "$TESTBED_CA_BUNDLE" --no-system-trust --timeout "$BENCH_TIMEOUT" --json "$json"
       --skip vulnerabilities,clients)
  if ((BENCH_CAP_CONCURRENCY)) && [[ -n "${XMPPSCAN_CONCURRENCY_OPTION:-}" ]]; then
    CMD+=("$XMPPSCAN_CONCURRENCY_OPTION" 2)
  fi
  # shellcheck disable=SC2206 # word splitting of the extra arguments is intended
  CMD+=($XMPPSCAN_EXTRA_ARGS "$domain")
}

# Finds xmppscan's per-server concurrency option, if it has one (main has none: it is sequential).
xmppscan_detect_concurrency() {
  local help opt
  help=$(dotnet "$XMPPSCAN_DLL" scan --help 2>/dev/null || true)
  XMPPSCAN_CONCURRENCY_OPTION=""
  for opt in --max-connections-per-server --connections-per-server --max-connections --max-concurrency \
             --concurrency --parallelism; do
    if grep -q -- "$opt[ =<]" <<<"$help"; then XMPPSCAN_CONCURRENCY_OPTION=$opt; return; fi
  done
}

testssl_binary() { command -v testssl.sh || command -v testssl; }

tool_command() {
  local tool=$1 domain=$2 address=$3 port=$4 out=$5
  case "$tool" in
    xmppscan) xmppscan_command "$domain" "$address" "$port" "$out" ;;
    testssl)
      # shellcheck disable=SC2206
      CMD=("$(testssl_binary)" --quiet --color 0 --warnings off --nodns none --connect-timeout "$BENCH_TIMEOUT"
           --openssl-timeout "$BENCH_TIMEOUT" --starttls xmpp --xmpphost "$domain" $TESTSSL_ARGS --jsonfile "$out"
           "$address:$port") ;;
    nmap)
      CMD=("$BENCH_LIB/with-hosts.sh" "$BENCH_HOSTS" nmap --system-dns -Pn -sT -p "$port" --script ssl-enum-ciphers -oX "$out")
      ((BENCH_CAP_CONCURRENCY)) && CMD+=(--max-parallelism "${NMAP_MAX_PARALLELISM:-1}")
      CMD+=("$address") ;;
    sslscan)
      CMD=("$BENCH_LIB/with-hosts.sh" "$BENCH_HOSTS" sslscan --no-colour --starttls-xmpp --xml="$out" "$domain:$port") ;;
    *) echo "unknown tool $tool" >&2; return 2 ;;
  esac
}

tool_output_name() {
  case "$1" in xmppscan | testssl) echo "$1.json" ;; *) echo "$1.xml" ;; esac
}
