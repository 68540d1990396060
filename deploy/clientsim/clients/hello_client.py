#!/usr/bin/env python3
"""One TLS handshake with Python's ssl.create_default_context() (slixmpp / Poezio), verification off.

Usage: hello_client.py HOST PORT SNI  ->  prints "TLSv1.3 TLS_AES_256_GCM_SHA384" or exits 1. Loopback only.
"""
import socket
import ssl
import sys

ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
try:
    with socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=10) as raw:
        with ctx.wrap_socket(raw, server_hostname=sys.argv[3]) as tls:
            print(tls.version(), tls.cipher()[0])
except (OSError, ssl.SSLError) as e:
    print("FAILED", e)
    sys.exit(1)
