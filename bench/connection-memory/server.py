#!/usr/bin/env python3
"""TLS server for the connection-memory bench: accepts on 127.0.0.1:PORT and keeps every connection open, idle.

    server.py CERT KEY PORT
"""
import asyncio
import ssl
import sys


async def hold(reader, writer):
    try:
        await reader.read(1)  # until the client closes
    except (ConnectionError, ssl.SSLError):
        pass


async def main():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(sys.argv[1], sys.argv[2])
    server = await asyncio.start_server(hold, "127.0.0.1", int(sys.argv[3]), ssl=ctx, backlog=1024)
    print("serving", flush=True)
    await server.serve_forever()


asyncio.run(main())
