#!/usr/bin/env bash
# What one idle TLS client connection (SslStream on OpenSSL, and the session engine) holds in this process: see README.md.
#   bash bench/connection-memory/run.sh [N...]        default: 100 500
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
ulimit -n 8192
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" -subj /CN=localhost -days 1 2>/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 "$here/server.py" "$work/cert.pem" "$work/key.pem" "$port" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 50); do grep -q serving "$work/server.log" 2>/dev/null && break; sleep 0.1; done
bash "$here/../../deploy/dotnet.sh" build "$here" -c Release -nologo -v q >/dev/null
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(100 500)
for n in "${sizes[@]}"; do
  for client in sslstream engine; do
    dotnet "$here/bin/Release/net10.0/XmppScanCluster.ConnectionMemoryBench.dll" "$n" "$port" "$client"
  done
done
