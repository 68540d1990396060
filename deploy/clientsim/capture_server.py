#!/usr/bin/env python3
"""Records the first flight (the ClientHello records) of ONE TLS client connection, then closes.

Loopback only. Usage: capture_server.py PORT_FILE OUT_HEX
Binds 127.0.0.1 on a free port, writes the port number to PORT_FILE, accepts one connection, reads TLS
records until the whole ClientHello handshake message is in (RFC 5246 section 6.2.1 / 7.4), writes the raw
record bytes as one line of lower-case hex to OUT_HEX and closes the connection without answering.
"""
import socket
import sys

MAX_BYTES = 64 * 1024
TIMEOUT_S = 20


def hello_complete(data: bytes) -> bool:
    """True once the records hold a whole handshake message (4-byte header + body)."""
    if data and data[0] & 0x80:  # SSLv2-compatible hello: one record, 2-byte length with the top bit set
        return len(data) >= 2 and len(data) >= 2 + (((data[0] & 0x7F) << 8) | data[1])
    payload = b""
    i = 0
    while i + 5 <= len(data):
        length = (data[i + 3] << 8) | data[i + 4]
        if i + 5 + length > len(data):
            return False
        payload += data[i + 5:i + 5 + length]
        i += 5 + length
        if len(payload) >= 4 and len(payload) >= 4 + int.from_bytes(payload[1:4], "big"):
            return True
    return False


def main() -> int:
    port_file, out_hex = sys.argv[1], sys.argv[2]
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.settimeout(TIMEOUT_S)
        with open(port_file, "w", encoding="ascii") as f:
            f.write(str(listener.getsockname()[1]))
        try:
            conn, _ = listener.accept()
        except socket.timeout:
            print("capture_server: no client connected", file=sys.stderr)
            return 1
        with conn:
            conn.settimeout(TIMEOUT_S)
            data = b""
            while not hello_complete(data) and len(data) < MAX_BYTES:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                data += chunk
    if not hello_complete(data):
        print("capture_server: incomplete ClientHello (%d bytes)" % len(data), file=sys.stderr)
        return 1
    with open(out_hex, "w", encoding="ascii") as f:
        f.write(data.hex() + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
