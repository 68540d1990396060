#!/usr/bin/env python3
"""Simulated XMPP c2s endpoints for the floor benchmark (issue 14): N loopback addresses, each a STARTTLS
server (port 5222) with its own real TLS configuration (Python's ssl, i.e. OpenSSL 3), from a generated plan.

    endpoints.py plan N NET SEED > plan.json     the endpoints: four fixed profiles (modern, intermediate,
                                                  legacy, ejabberd-like) and generated ones (random suite
                                                  subsets, random order, server or client order, protocol mixes)
    endpoints.py serve plan.json CERT KEY DH      serve them until SIGTERM; SIGUSR1 writes the connection
                                                  count per address to plan.json + '.counts'

Every connection: stream header -> features with <starttls/> required -> <starttls/> -> <proceed/> -> TLS
(server side) -> stream header -> features (SASL PLAIN) -> close when the client closes. Reads are bounded
(64 KiB before TLS) and every connection has a 30 s deadline. Loopback only.
"""
import asyncio
import json
import warnings
import random
import re
import signal
import ssl
import sys

PROFILES = {
    # Prosody-like: client order, TLS 1.2 + 1.3.
    "modern": {"ciphers": "ECDHE+AESGCM:ECDHE+CHACHA20", "min": "TLSv1_2", "server_order": False},
    "intermediate": {"ciphers": "ECDHE+AESGCM:ECDHE+CHACHA20:DHE+AESGCM:DHE+CHACHA20:ECDHE+AES:DHE+AES",
                     "min": "TLSv1_2", "server_order": False},
    # Everything OpenSSL 3 has, TLS 1.0-1.3, server order.
    "legacy": {"ciphers": "ALL:COMPLEMENTOFALL:@SECLEVEL=0", "min": "TLSv1", "server_order": True},
    "ejabberd": {"ciphers": "HIGH:!aNULL:!eNULL:!3DES", "min": "TLSv1_2", "server_order": True},
}

warnings.filterwarnings("ignore", category=DeprecationWarning)  # TLS 1.0/1.1 are the point of a legacy endpoint
VERSIONS = {"TLSv1": ssl.TLSVersion.TLSv1, "TLSv1_1": ssl.TLSVersion.TLSv1_1, "TLSv1_2": ssl.TLSVersion.TLSv1_2,
            "TLSv1_3": ssl.TLSVersion.TLSv1_3}


def all_openssl_suites():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.set_ciphers("ALL:COMPLEMENTOFALL:@SECLEVEL=0")
    return [c["name"] for c in ctx.get_ciphers() if c["protocol"] != "TLSv1.3"]


def plan(n, net, seed):
    rnd = random.Random(seed)
    suites = all_openssl_suites()
    fixed = list(PROFILES)
    endpoints = []
    for i in range(n):
        address = f"{net}.{1 + i // 250}.{1 + i % 250}"
        if i % 2 == 0:
            name = fixed[(i // 2) % len(fixed)]
            p = dict(PROFILES[name], profile=name)
        else:
            # Not tuned on: a random subset in random order, either order policy, a random protocol floor.
            chosen = rnd.sample(suites, rnd.randint(1, min(60, len(suites))))
            p = {"profile": "generated", "ciphers": ":".join(chosen) + ":@SECLEVEL=0",
                 "min": rnd.choice(["TLSv1", "TLSv1_1", "TLSv1_2", "TLSv1_2"]),
                 "max": rnd.choice(["TLSv1_2", "TLSv1_3", "TLSv1_3"]),
                 "server_order": rnd.random() < 0.5}
        endpoints.append(dict(p, address=address, domain=f"ep{i}.bench.test"))
    return {"endpoints": endpoints}


def context(p, cert, key, dh):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = VERSIONS[p["min"]]
    ctx.maximum_version = VERSIONS[p.get("max", "TLSv1_3")]
    ctx.set_ciphers(p["ciphers"] if "SECLEVEL" in p["ciphers"] else p["ciphers"] + ":@SECLEVEL=0")
    ctx.load_cert_chain(cert, key)
    ctx.load_dh_params(dh)
    # Python sets OP_CIPHER_SERVER_PREFERENCE by default: clear it for a client-order endpoint.
    if p["server_order"]:
        ctx.options |= ssl.OP_CIPHER_SERVER_PREFERENCE
    else:
        ctx.options &= ~ssl.OP_CIPHER_SERVER_PREFERENCE
    ctx.options |= ssl.OP_NO_TICKET
    return ctx


STREAM = ("<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' "
          "id='b{}' from='{}' version='1.0'>")
FEATURES_TLS = ("<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>"
                "</stream:features>")
FEATURES_SASL = ("<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism>"
                 "</mechanisms></stream:features>")


async def read_until(reader, pattern, limit=65536):
    """Reads until pattern matches the bytes so far (bounded); None on close or overflow."""
    data = b""
    while not re.search(pattern, data):
        chunk = await reader.read(4096)
        if not chunk or len(data) > limit:
            return None
        data += chunk
    return data


class Server:
    def __init__(self, plan_file, cert, key, dh):
        self.plan_file = plan_file
        self.endpoints = json.load(open(plan_file))["endpoints"]
        self.contexts = {e["address"]: context(e, cert, key, dh) for e in self.endpoints}
        self.domains = {e["address"]: e["domain"] for e in self.endpoints}
        self.counts = {e["address"]: 0 for e in self.endpoints}
        self.next_id = 0

    async def handle(self, reader, writer):
        address = writer.get_extra_info("sockname")[0]
        self.counts[address] += 1
        self.next_id += 1
        try:
            await asyncio.wait_for(self.session(address, reader, writer), 30)
        except (Exception, asyncio.CancelledError):
            pass
        finally:
            writer.transport.abort()

    async def session(self, address, reader, writer):
        domain = self.domains[address]
        if await read_until(reader, rb"<stream:stream[^>]*>") is None:
            return
        writer.write((STREAM.format(self.next_id, domain) + FEATURES_TLS).encode())
        if await read_until(reader, rb"<starttls[^>]*>") is None:
            return
        writer.write(b"<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")
        await writer.drain()
        await writer.start_tls(self.contexts[address])
        if await read_until(reader, rb"<stream:stream[^>]*>") is None:
            return
        writer.write((STREAM.format(self.next_id, domain) + FEATURES_SASL).encode())
        await writer.drain()
        while await reader.read(4096):
            pass

    def dump(self):
        with open(self.plan_file + ".counts", "w") as f:
            json.dump(self.counts, f)

    async def run(self):
        servers = [await asyncio.start_server(self.handle, a, 5222, backlog=512) for a in self.contexts]
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        loop.add_signal_handler(signal.SIGTERM, stop.set)
        loop.add_signal_handler(signal.SIGUSR1, self.dump)
        print("serving", len(servers), flush=True)
        await stop.wait()


def main():
    if sys.argv[1] == "plan":
        json.dump(plan(int(sys.argv[2]), sys.argv[3], int(sys.argv[4])), sys.stdout, indent=1)
        return 0
    asyncio.run(Server(*sys.argv[2:6]).run())
    return 0


if __name__ == "__main__":
    sys.exit(main())
