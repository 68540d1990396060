#!/usr/bin/env bash
# Captures the ClientHello of each TLS library on this machine (loopback only) into captures/ID.hex.
# Each client connects to capture_server.py, which records the hello and closes without answering, so the
# clients' errors are expected. Re-run after a library upgrade, then run gen_profiles.py.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
out="${CAPTURE_OUT:-$here/captures}"  # CAPTURE_OUT: write elsewhere (a dry run)
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
sni=example.test

capture() { # capture ID COMMAND... (the command gets PORT appended via the {PORT} placeholder)
  local id="$1"; shift
  rm -f "$tmp/port"
  python3 "$here/capture_server.py" "$tmp/port" "$out/$id.hex" &
  local server=$!
  for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
  local port; port="$(cat "$tmp/port")"
  local cmd=("${@//\{PORT\}/$port}")
  timeout 60 "${cmd[@]}" </dev/null >"$tmp/$id.log" 2>&1
  if wait "$server"; then echo "captured $id"; else echo "FAILED $id (see below)"; cat "$tmp/$id.log"; fi
}

capture openssl-3.0-s_client openssl s_client -connect "127.0.0.1:{PORT}" -servername "$sni"
capture gnutls-3.7-cli gnutls-cli --insecure --port "{PORT}" --sni-hostname "$sni" 127.0.0.1
capture java-17-jsse java "$here/clients/HelloClient.java" 127.0.0.1 "{PORT}" "$sni"
capture python-3-ssl python3 "$here/clients/hello_client.py" 127.0.0.1 "{PORT}" "$sni"
capture node-20-tls node "$here/clients/hello_client.js" 127.0.0.1 "{PORT}" "$sni"
capture dotnet-10-sslstream dotnet run --file "$here/clients/HelloClient.cs" -- 127.0.0.1 "{PORT}" "$sni"

# Versions, for the profile metadata.
{
  echo "date: $(date -u +%Y-%m-%d)"
  echo "os: $(. /etc/os-release && echo "$PRETTY_NAME")"
  echo "openssl: $(openssl version)"
  echo "gnutls: $(gnutls-cli --version | head -1)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "python: $(python3 -c 'import ssl, sys; print(sys.version.split()[0], ssl.OPENSSL_VERSION)')"
  echo "node: $(node -p 'process.version + " openssl " + process.versions.openssl')"
  echo "dotnet: $(dotnet --version)"
} >"$out/versions.txt"
cat "$out/versions.txt"
echo "If a version above changed, update it in profiles.json; then run gen_profiles.py and the ClientSimulation tests."
