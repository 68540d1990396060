#!/usr/bin/env python3
"""The simulated federation's XMPP servers (issue 14): every server of a federation.py plan, on its own loopback
address, on four ports — 5222 c2s and 5269 s2s with STARTTLS (RFC 6120 §5), 5223 c2s and 5270 s2s with direct
TLS (XEP-0368) — with the server's TLS profile behind all four. Real TLS: OpenSSL 3 through Python's ssl, driven
over memory BIOs so that every flight the server sends can be delayed (--delay-ms) and a refused handshake still
sends OpenSSL's alert (asyncio's start_tls drops it).

    server.py plan.json CERT KEY DH WORKER WORKERS [--delay-ms D] [--port-profile KIND=PROFILE ...] [--certs DIR]

Serves the servers whose index i in the plan has i % WORKERS == WORKER (several processes share one plan: one
asyncio process does every handshake of its servers on one core), until SIGTERM; SIGUSR1 writes
plan.json.counts.WORKER: connections accepted per address and port since the start, and the most connections open at
once since the last SIGUSR1 (per address and in all: each dump starts a new peak from what is open then, so run.sh's
snapshot before a census makes the one after it that census's own). Limits: 4 listening sockets per server (2,400 for 600 servers: the open-file limit is raised
to its hard limit), reads bounded (64 KiB of XML before TLS and after, 16 KiB per TLS read), 30 s per connection.

--delay-ms D: the server waits D ms before each write (every XMPP step and every TLS flight): a round trip of
at least D ms per exchange, on the server's side only (TCP's own handshake is not delayed). Network latency for
one server is bench/lib/latency.sh.

--port-profile KIND=PROFILE (KIND c2s-starttls, c2s-directtls, s2s-starttls or s2s-directtls; PROFILE modern,
intermediate, legacy or ejabberd): every server serves PROFILE on that port instead of its own — one server whose
ports differ (a direct-TLS port with other settings), which assessment sharing must detect (issue 14).

--certs DIR (certs.py's DIR/DOMAIN.pem, all for KEY): a handshake whose SNI names a domain of the plan gets that
domain's certificate, with the server's profile; without SNI, or for another name, CERT. Each (profile, domain)
context is made at its first handshake and kept: one per domain unless --port-profile gives a port another profile.
"""
import asyncio
import json
import re
import resource
import signal
import ssl
import sys
import os

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "endpoints"))
from endpoints import PROFILES, context  # noqa: E402  (the same TLS contexts as the floor bench's endpoints)

XML_LIMIT = 65536
STREAM = ("<?xml version='1.0'?><stream:stream xmlns='{ns}' xmlns:stream='http://etherx.jabber.org/streams' "
          "id='f{id}' from='{domain}' version='1.0'>")
STARTTLS = "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>"
AFTER_TLS = {
    "jabber:client": "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms>",
    "jabber:server": ("<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>EXTERNAL</mechanism></mechanisms>"
                      "<dialback xmlns='urn:xmpp:features:dialback'/>"),
}
HEADER = re.compile(rb"<stream:stream\b[^>]*>")
NAMESPACE = re.compile(rb"""\sxmlns=['"]([^'"]{1,64})['"]""")
TO = re.compile(rb"""\sto=['"]([^'"]{1,255})['"]""")


class Channel:
    """One connection: plain until tls(), then through the SSLObject; every write waits the delay first."""

    def __init__(self, reader, writer, delay):
        self.reader, self.writer, self.delay = reader, writer, delay
        self.tls = None
        self.incoming = self.outgoing = None
        self.data = b""

    async def send(self, data):
        if self.tls is not None:
            self.tls.write(data)
            data = self.outgoing.read()
        if self.delay:
            await asyncio.sleep(self.delay)
        self.writer.write(data)
        await self.writer.drain()

    async def flush_tls(self):
        data = self.outgoing.read()
        if data:
            if self.delay:
                await asyncio.sleep(self.delay)
            self.writer.write(data)
            await self.writer.drain()

    async def tls_handshake(self, ctx):
        self.incoming, self.outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        obj = ctx.wrap_bio(self.incoming, self.outgoing, server_side=True)
        if self.data:  # bytes the client sent after <starttls/> belong to TLS
            self.incoming.write(self.data)
            self.data = b""
        while True:
            try:
                obj.do_handshake()
                await self.flush_tls()
                self.tls = obj
                return True
            except ssl.SSLWantReadError:
                await self.flush_tls()
                chunk = await self.reader.read(16384)
                if not chunk:
                    return False
                self.incoming.write(chunk)
            except (ssl.SSLError, OSError):
                await self.flush_tls()  # the alert
                return False

    async def read(self):
        if self.tls is None:
            return await self.reader.read(4096)
        while True:
            try:
                data = self.tls.read(16384)
                await self.flush_tls()
                return data
            except ssl.SSLWantReadError:
                # OpenSSL answers some records inside SSL_read: a client's renegotiation ClientHello gets a ServerHello
                # or a no_renegotiation alert. A socket BIO sends that at once; the memory BIO holds it until flushed,
                # and unflushed the client waited its whole read timeout for an answer that was never sent (the
                # scanner's client_renegotiation probe, one connection per endpoint at depth full).
                await self.flush_tls()
                chunk = await self.reader.read(16384)
                if not chunk:
                    return b""
                self.incoming.write(chunk)
            except ssl.SSLError:
                await self.flush_tls()  # the fatal alert, as a socket BIO would have sent it
                return b""

    async def until(self, pattern):
        """The first match of pattern in what the client sends (bounded); None on close or overflow. What follows
        the match stays buffered: a client may pipeline the stream header and <starttls/>."""
        while True:
            m = pattern.search(self.data)
            if m:
                self.data = self.data[m.end():]
                return m
            chunk = await self.read()
            if not chunk or len(self.data) > XML_LIMIT:
                return None
            self.data += chunk


class Federation:
    def __init__(self, plan_file, cert, key, dh, worker, workers, delay, port_profiles, certs=None):
        self.plan_file, self.worker, self.delay = plan_file, worker, delay
        plan = json.load(open(plan_file))
        self.ports = plan["ports"]
        self.servers = [s for i, s in enumerate(plan["servers"]) if i % workers == worker]
        self.contexts = {}
        self.key, self.dh, self.certs, self.domain_contexts = key, dh, certs, {}
        for s in self.servers:
            for kind in self.ports:
                profile = PROFILES[port_profiles[kind]] if kind in port_profiles else s
                ctx = self.contexts[(s["address"], kind)] = context(profile, cert, key, dh)
                if certs:
                    ctx.sni_callback = lambda obj, name, _, p=profile: self.sni(obj, name, p)
        self.hosts = {s["address"]: s["host"] for s in self.servers}
        self.counts = {}
        self.open = {}
        self.peak = {}
        self.open_all = self.peak_all = 0
        self.next_id = 0

    def sni(self, obj, name, profile):
        """--certs: the named domain's certificate, behind the same profile (a context per profile and domain)."""
        if not name:
            return None
        key = (id(profile), name)
        ctx = self.domain_contexts.get(key)
        if ctx is None:
            path = os.path.join(self.certs, os.path.basename(name) + ".pem")
            if not os.path.isfile(path):
                return None
            ctx = self.domain_contexts[key] = context(profile, path, self.key, self.dh)
        obj.context = ctx
        return None

    async def handle(self, reader, writer, kind):
        address = writer.get_extra_info("sockname")[0]
        key = f"{address} {kind}"
        self.counts[key] = self.counts.get(key, 0) + 1
        self.open[address] = self.open.get(address, 0) + 1
        self.peak[address] = max(self.peak.get(address, 0), self.open[address])
        self.open_all += 1
        self.peak_all = max(self.peak_all, self.open_all)
        self.next_id += 1
        try:
            await asyncio.wait_for(self.session(Channel(reader, writer, self.delay), address, kind), 30)
        except (Exception, asyncio.CancelledError):
            pass
        finally:
            self.open[address] -= 1
            self.open_all -= 1
            writer.transport.abort()

    async def session(self, ch, address, kind):
        ctx = self.contexts[(address, kind)]
        if kind.endswith("directtls") and not await ch.tls_handshake(ctx):
            return
        header = await ch.until(HEADER)
        if header is None:
            return
        ns = NAMESPACE.search(header.group(0))
        ns = ns.group(1).decode() if ns and ns.group(1) in (b"jabber:client", b"jabber:server") else "jabber:client"
        to = TO.search(header.group(0))
        # The stream's from is the domain the client asked for (one server hosts many); escaped by the pattern's
        # character class: no quote can be in it, and < > & are not in a domain the scanner sends.
        domain = to.group(1).decode("ascii", "replace") if to else self.hosts[address]
        stream = STREAM.format(ns=ns, id=self.next_id, domain=re.sub(r"[<>&]", "", domain))
        if ch.tls is None:
            await ch.send((stream + "<stream:features>" + STARTTLS + "</stream:features>").encode())
            if await ch.until(re.compile(rb"<starttls\b[^>]*>")) is None:
                return
            await ch.send(b"<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")
            if not await ch.tls_handshake(ctx):
                return
            if await ch.until(HEADER) is None:
                return
        await ch.send((stream + "<stream:features>" + AFTER_TLS[ns] + "</stream:features>").encode())
        while await ch.read():
            pass

    def dump(self):
        path = f"{self.plan_file}.counts.{self.worker}"
        with open(path + ".tmp", "w") as f:
            json.dump({"connections": self.counts, "peak_per_address": self.peak, "peak": self.peak_all}, f)
        os.replace(path + ".tmp", path)
        # The next dump's peaks are of what happens after this one (run.sh dumps before and after each census).
        self.peak = {a: n for a, n in self.open.items() if n > 0}
        self.peak_all = self.open_all

    async def run(self):
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        listeners = []
        for s in self.servers:
            for kind, port in self.ports.items():
                listeners.append(await asyncio.start_server(
                    lambda r, w, k=kind: self.handle(r, w, k), s["address"], port, backlog=256))
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        loop.add_signal_handler(signal.SIGTERM, stop.set)
        loop.add_signal_handler(signal.SIGUSR1, self.dump)
        print(f"worker {self.worker}: serving {len(self.servers)} servers on {len(listeners)} ports", flush=True)
        await stop.wait()


def main():
    args = sys.argv[1:]
    delay = 0.0
    if "--delay-ms" in args:
        i = args.index("--delay-ms")
        delay = float(args[i + 1]) / 1000
        del args[i:i + 2]
    port_profiles = {}
    while "--port-profile" in args:
        i = args.index("--port-profile")
        kind, _, name = args[i + 1].partition("=")
        if name not in PROFILES:
            print(f"server.py: --port-profile {args[i + 1]}: unknown profile (one of {', '.join(PROFILES)})", file=sys.stderr)
            return 2
        port_profiles[kind] = name
        del args[i:i + 2]
    certs = None
    if "--certs" in args:
        i = args.index("--certs")
        certs = args[i + 1]
        del args[i:i + 2]
    if len(args) != 6:
        print(__doc__, file=sys.stderr)
        return 2
    plan_file, cert, key, dh, worker, workers = args
    asyncio.run(Federation(plan_file, cert, key, dh, int(worker), int(workers), delay, port_profiles, certs).run())
    return 0


if __name__ == "__main__":
    sys.exit(main())
