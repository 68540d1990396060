#!/usr/bin/env python3
"""A real TLS server (OpenSSL, through Python's ssl under asyncio) that closes without an alert when a handshake
fails, as ejabberd 23.01 (fast_tls) does: the failed start_tls is answered by aborting the transport, which drops the
alert OpenSSL wrote (the same server as bench/endpoints'). No XMPP: TLS from the first byte.

    silent_tls_server.py -accept 127.0.0.1:0 -cert CERT -key KEY [-tls1_3]

Options as openssl s_server's, so OpenSslServer starts either; prints "ACCEPT 127.0.0.1:PORT" once listening and
serves until killed. -tls1_3: TLS 1.3 only (a TLS 1.2 hello fails, and is closed on).
"""
import asyncio
import ssl
import sys


def option(name):
    return sys.argv[sys.argv.index(name) + 1]


async def main():
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(option("-cert"), option("-key"))
    if "-tls1_3" in sys.argv:
        context.minimum_version = ssl.TLSVersion.TLSv1_3

    async def handle(reader, writer):
        try:
            while await asyncio.wait_for(reader.read(4096), 10):
                pass
        except (Exception, asyncio.CancelledError):
            pass
        finally:
            writer.transport.abort()

    asyncio.get_running_loop().set_exception_handler(lambda loop, context: None)  # failed handshakes are the point
    host, port = option("-accept").rsplit(":", 1)
    server = await asyncio.start_server(handle, host, int(port), ssl=context, ssl_handshake_timeout=10)
    print(f"ACCEPT {host}:{server.sockets[0].getsockname()[1]}", flush=True)
    await server.serve_forever()


asyncio.run(main())
