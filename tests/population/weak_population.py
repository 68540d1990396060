#!/usr/bin/env python3
"""A simulated population of 108 XMPP servers reproducing the 2013 IM Observatory table (issue 15).

Of 108 domains, 100 answer a ClientHello: 37 SSLv2, 100 SSLv3, 98 TLS 1.0, 38 TLS 1.1 and 1.2, 80 with a suite of
<= 56 bits, 49 with an EXPORT suite, 29 with forward secrecy; 4 refuse the connection and 4 offer no STARTTLS.
The profiles are data (PROFILES below) and the truth is computed from them, then checked against the table.

Every server is an XMPP STARTTLS front on its own loopback address (NET.1.N:5222) that plays the transcript
stream header -> features (STARTTLS required) -> <starttls/> -> <proceed/> -> ClientHello, then picks the version
(the highest it has at or below the client's) and the suite (its own order) and answers:
  - with real OpenSSL (Python ssl over memory BIOs, a context of exactly that version and suite at SECLEVEL 0) when
    OpenSSL 3 can serve it (TLS 1.0-1.2; AES, DHE, ECDHE): the full handshake and the XMPP stream after TLS;
  - with a scripted ServerHello, Certificate, [ServerKeyExchange,] ServerHelloDone carrying the same real chain when
    it cannot (SSLv3, RC4, 3DES, DES, EXPORT), or an SSLv2 SERVER-HELLO with the real leaf.
A scripted server closes the connection as soon as the client sends anything after its flight (as old servers did on
every handshake failure). DNS: a dnsmasq on NET.0.53 serves A and _xmpp-client SRV for every domain.

Usage: weak_population.py NET OUTDIR      (NET = two octets, e.g. 127.122)
Writes OUTDIR/{ca.pem,targets.txt,truth.json,dns.txt}, prints "ready" and serves until stdin closes.
"""
import asyncio
import ctypes
import json
import os
import random
import signal
import ssl
import struct
import subprocess
import sys
import warnings

warnings.filterwarnings("ignore", category=DeprecationWarning)   # TLS 1.0/1.1 contexts are the point here

DOMAIN = "pop.test"
RESPONDING = 100
REFUSED = 4        # no listener
NO_STARTTLS = 4    # XMPP without STARTTLS
TABLE_2013 = {"SSLv2": 37, "SSLv3": 100, "TLSv1.0": 98, "TLSv1.1": 38, "TLSv1.2": 38,
              "weak_suites": 80, "export_suites": 49, "forward_secrecy": 29}

SSL3, TLS10, TLS11, TLS12 = 0x0300, 0x0301, 0x0302, 0x0303
NAMES = {SSL3: "SSLv3", TLS10: "TLSv1.0", TLS11: "TLSv1.1", TLS12: "TLSv1.2"}

# code: (OpenSSL name or None when OpenSSL 3 here cannot serve it, bits, export, forward secrecy, TLS 1.2 only)
SUITES = {
    0xC02F: ("ECDHE-RSA-AES128-GCM-SHA256", 128, False, True, True),
    0xC013: ("ECDHE-RSA-AES128-SHA", 128, False, True, False),
    0x0033: ("DHE-RSA-AES128-SHA", 128, False, True, False),
    0x002F: ("AES128-SHA", 128, False, False, False),
    0x0035: ("AES256-SHA", 256, False, False, False),
    0x0005: (None, 128, False, False, False),   # RC4-SHA
    0x000A: (None, 112, False, False, False),   # DES-CBC3-SHA
    0x0009: (None, 56, False, False, False),    # DES-CBC-SHA
    0x0003: (None, 40, True, False, False),     # EXP-RC4-MD5
    0x0008: (None, 40, True, False, False),     # EXP-DES-CBC-SHA
}
# SSLv2 cipher kinds: code -> (bits, export)
SSL2_KINDS = {0x010080: (128, False), 0x020080: (40, True), 0x060040: (56, False), 0x0700C0: (112, False)}


def profile(i):
    """Server i's suites per version (its own order) and SSLv2 kinds; see the module docstring for the counts."""
    fs = i < 29
    modern = i < 38                 # TLS 1.1 and 1.2
    tls10 = i < 98
    des = 20 <= i < 51
    export = i >= 51
    ssl2 = i >= 63
    no_aes_at_tls = 90 <= i < 98    # TLS 1.0 with only suites OpenSSL 3 lacks: no library finishes a session
    base = [] if no_aes_at_tls else [0x002F, 0x0035]
    legacy = ([0x0005] if i % 2 == 0 or no_aes_at_tls else []) + ([0x000A] if i % 3 == 0 or no_aes_at_tls else [])
    weak = ([0x0009] if des else []) + ([0x0003, 0x0008] if export else [])
    tls = ([0x0033] if fs else []) + base + legacy + weak
    versions = {SSL3: [s for s in tls if not SUITES[s][3]] or [0x002F]}
    if tls10:
        versions[TLS10] = ([0xC013] if fs and i % 2 else []) + tls
    if modern:
        versions[TLS11] = ([0xC013] if fs and i % 2 else []) + tls
        versions[TLS12] = ([0xC02F, 0xC013] if fs else []) + tls
    kinds = ([0x010080, 0x0700C0] + ([0x020080] if export else []) + ([0x060040] if i % 2 else [])) if ssl2 else []
    return {"versions": versions, "ssl2": kinds}


def truth(profiles):
    counts = {k: 0 for k in TABLE_2013}
    for p in profiles:
        if p["ssl2"]:
            counts["SSLv2"] += 1
        for v in p["versions"]:
            counts[NAMES[v]] += 1
        suites = {s for lst in p["versions"].values() for s in lst}
        if any(SUITES[s][1] <= 56 for s in suites) or any(SSL2_KINDS[k][0] <= 56 for k in p["ssl2"]):
            counts["weak_suites"] += 1
        if any(SUITES[s][2] for s in suites) or any(SSL2_KINDS[k][1] for k in p["ssl2"]):
            counts["export_suites"] += 1
        if any(SUITES[s][3] for s in suites):
            counts["forward_secrecy"] += 1
    return counts


def make_chain(out):
    """A CA and one wildcard leaf for every domain (RSA 2048, SHA-256), made by the openssl command line."""
    def run(*args):
        subprocess.run(["openssl", *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ca_key, ca, key, csr, leaf = (os.path.join(out, n) for n in ("ca.key", "ca.pem", "leaf.key", "leaf.csr", "leaf.pem"))
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca_key, "-out", ca, "-days", "3650",
        "-subj", "/CN=Weak Population Test CA", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=*." + DOMAIN)
    ext = os.path.join(out, "leaf.ext")
    with open(ext, "w") as f:
        f.write(f"subjectAltName=DNS:*.{DOMAIN}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n")
    run("x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial", "-out", leaf, "-days", "3650",
        "-sha256", "-extfile", ext)
    chain = os.path.join(out, "chain.pem")
    with open(chain, "w") as f:
        f.write(open(leaf).read() + open(ca).read())
    ders = [ssl.PEM_cert_to_DER_cert(pem.strip() + "\n-----END CERTIFICATE-----\n")
            for pem in open(chain).read().split("-----END CERTIFICATE-----\n") if pem.strip()]
    dh = os.path.join(out, "dh.pem")
    run("genpkey", "-genparam", "-algorithm", "DH", "-pkeyopt", "group:ffdhe2048", "-out", dh)   # RFC 7919, no search
    return chain, key, dh, ders


def u16(v):
    return struct.pack(">H", v)


def u24(v):
    return struct.pack(">I", v)[1:]


def handshake(kind, body):
    return bytes([kind]) + u24(len(body)) + body


def records(content, version, data):
    out = b""
    for at in range(0, len(data), 16384):
        chunk = data[at:at + 16384]
        out += bytes([content]) + u16(version) + u16(len(chunk)) + chunk
    return out


def alert(version, description):
    return records(21, version, bytes([2, description]))


def parse_hello(body):
    """ClientHello (RFC 5246 §7.4.1.2): (client max version, offered suites)."""
    at = 4
    client_version = struct.unpack_from(">H", body, at)[0]
    at += 2 + 32
    at += 1 + body[at]
    n = struct.unpack_from(">H", body, at)[0]
    suites = [struct.unpack_from(">H", body, at + 2 + 2 * k)[0] for k in range(n // 2)]
    at += 2 + n
    at += 1 + body[at]
    versions = None
    if at + 2 <= len(body):
        end = at + 2 + struct.unpack_from(">H", body, at)[0]
        at += 2
        while at + 4 <= end:
            etype, elen = struct.unpack_from(">HH", body, at)
            if etype == 0x002B:   # supported_versions (RFC 8446 §4.2.1)
                versions = [struct.unpack_from(">H", body, at + 5 + 2 * k)[0] for k in range(body[at + 4] // 2)]
            at += 4 + elen
        return client_version, suites, versions, True
    return client_version, suites, versions, False


class Server:
    def __init__(self, index, name, prof, chain, key, dh, ders):
        self.index, self.name, self.prof = index, name, prof
        self.chain, self.key, self.dh, self.ders = chain, key, dh, ders
        self.contexts = {}

    def context(self, version, suite):
        ctx = self.contexts.get((version, suite))
        if ctx is None:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            tls = {TLS10: ssl.TLSVersion.TLSv1, TLS11: ssl.TLSVersion.TLSv1_1, TLS12: ssl.TLSVersion.TLSv1_2}[version]
            ctx.minimum_version = ctx.maximum_version = tls
            ctx.set_ciphers(SUITES[suite][0] + ":@SECLEVEL=0")
            ctx.load_cert_chain(self.chain, self.key)
            ctx.load_dh_params(self.dh)
            self.contexts[(version, suite)] = ctx
        return ctx

    def scripted_flight(self, version, suite, extensions):
        sh = u16(version) + os.urandom(32) + b"\x00" + u16(suite) + b"\x00"
        if extensions:
            sh += u16(5) + b"\xff\x01\x00\x01\x00"   # renegotiation_info, empty
        certs = b"".join(u24(len(d)) + d for d in self.ders)
        parts = [handshake(2, sh), handshake(11, u24(len(certs)) + certs)]
        if SUITES[suite][2]:
            # RSA export (RFC 2246 §7.4.3): a 512-bit temporary key signed with the certificate's key.
            modulus = b"\xc5" + os.urandom(63)
            parts.append(handshake(12, u16(64) + modulus + u16(3) + b"\x01\x00\x01" + u16(256) + os.urandom(256)))
        parts.append(handshake(14, b""))
        return records(22, version, b"".join(parts))

    def ssl2_server_hello(self, hello):
        specs_len = struct.unpack_from(">H", hello, 3)[0]
        offered = {int.from_bytes(hello[9 + k:12 + k], "big") for k in range(0, specs_len, 3)}
        common = b"".join(k.to_bytes(3, "big") for k in self.prof["ssl2"] if k in offered)
        cert = self.ders[0]
        body = (b"\x04\x00\x01\x00\x02" + u16(len(cert)) + u16(len(common)) + u16(16)
                + cert + common + os.urandom(16))
        return u16(0x8000 | len(body)) + body

    async def serve(self, reader, writer):
        try:
            await asyncio.wait_for(self.conversation(reader, writer), 60)
        except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError, ssl.SSLError, ValueError, IndexError, struct.error):
            pass
        finally:
            writer.close()

    async def preamble(self, reader, writer, starttls=True):
        buffer = b""
        while b">" not in buffer.split(b"<stream:stream", 1)[-1] or b"<stream:stream" not in buffer:
            chunk = await reader.read(4096)
            if not chunk or len(buffer) > 65536:
                raise ValueError("no stream header")
            buffer += chunk
        features = (b"<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>" if starttls else
                    b"<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms>")
        writer.write(self.header() + b"<stream:features>" + features + b"</stream:features>")
        await writer.drain()
        if not starttls:
            await reader.read(4096)
            raise ValueError("done")
        while b"<starttls" not in buffer or b"/>" not in buffer.split(b"<starttls", 1)[1]:
            chunk = await reader.read(4096)
            if not chunk or len(buffer) > 65536:
                raise ValueError("no starttls")
            buffer += chunk
        writer.write(b"<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")
        await writer.drain()

    def header(self):
        return (b"<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'"
                b" id='pop%d' from='%s' version='1.0'>" % (self.index, self.name.encode()))

    async def conversation(self, reader, writer):
        await self.preamble(reader, writer)
        first = await reader.readexactly(2)
        if first[0] & 0x80:
            hello = first + await reader.readexactly((first[0] & 0x7F) << 8 | first[1])
            if self.prof["ssl2"]:
                writer.write(self.ssl2_server_hello(hello[2:]))
                await writer.drain()
                await reader.read(1)
            return
        raw = first + await reader.readexactly(3)
        body = b""
        while True:
            length = struct.unpack_from(">H", raw, len(raw) - 2)[0]
            fragment = await reader.readexactly(length)
            raw += fragment
            body += fragment
            if len(body) >= 4 and len(body) >= 4 + int.from_bytes(body[1:4], "big"):
                break
            raw += await reader.readexactly(5)
        client_version, offered, supported, extensions = parse_hello(body)
        mine = self.prof["versions"]
        candidates = [v for v in sorted(mine, reverse=True)
                      if (v in supported if supported else v <= client_version)]
        if not candidates:
            writer.write(alert(min(client_version, TLS12), 70))   # protocol_version
            return
        version = candidates[0]
        suite = next((s for s in mine[version] if s in offered), None)
        if suite is None:
            writer.write(alert(version, 40))   # handshake_failure
            return
        if version >= TLS10 and SUITES[suite][0] is not None:
            await self.openssl(reader, writer, version, suite, raw)
        else:
            writer.write(self.scripted_flight(version, suite, extensions))
            await writer.drain()
            await reader.read(1)

    async def openssl(self, reader, writer, version, suite, raw):
        incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        tls = self.context(version, suite).wrap_bio(incoming, outgoing, server_side=True)
        incoming.write(raw)

        async def pump(operation, *args):
            while True:
                try:
                    result = operation(*args)
                    if outgoing.pending:
                        writer.write(outgoing.read())
                        await writer.drain()
                    return result
                except ssl.SSLWantReadError:
                    if outgoing.pending:
                        writer.write(outgoing.read())
                        await writer.drain()
                    data = await reader.read(16384)
                    if not data:
                        raise ValueError("closed")
                    incoming.write(data)

        await pump(tls.do_handshake)
        # The stream restart after TLS (RFC 6120 §5.4.3.3): header in, header and features out.
        text = b""
        while b">" not in text.split(b"<stream:stream", 1)[-1] or b"<stream:stream" not in text:
            data = await pump(tls.read, 4096)
            if not data or len(text) > 65536:
                raise ValueError("closed before the stream header")   # close_notify: read() returns b""
            text += data
        await pump(tls.write, self.header() + b"<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
                   b"<mechanism>SCRAM-SHA-1</mechanism><mechanism>PLAIN</mechanism></mechanisms></stream:features>")
        await pump(tls.read, 4096)


def die_with_parent():
    """dnsmasq ends with this process, however it ends (Linux prctl PR_SET_PDEATHSIG = SIGTERM)."""
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)


async def main(net, out):
    os.makedirs(out, exist_ok=True)
    chain, key, dh, ders = make_chain(out)
    profiles = [profile(i) for i in range(RESPONDING)]
    counts = truth(profiles)
    if counts != TABLE_2013:
        raise SystemExit(f"the profiles do not reproduce the 2013 table: {counts}")
    total = RESPONDING + REFUSED + NO_STARTTLS
    names = [f"w{k:03d}.{DOMAIN}" for k in range(total)]
    order = list(range(total))
    random.Random(2013).shuffle(order)   # responding and silent domains interleaved, by a fixed seed
    servers = []
    for k, name in enumerate(names):
        slot = order[k]
        address = f"{net}.1.{k + 1}"
        if slot < RESPONDING:
            server = Server(k, name, profiles[slot], chain, key, dh, ders)
            servers.append(await asyncio.start_server(server.serve, address, 5222))
        elif slot < RESPONDING + NO_STARTTLS:
            server = Server(k, name, None, chain, key, dh, ders)

            async def plain(reader, writer, s=server):
                try:
                    await asyncio.wait_for(s.preamble(reader, writer, starttls=False), 30)
                except (OSError, ValueError, asyncio.TimeoutError):
                    pass
                finally:
                    writer.close()
            servers.append(await asyncio.start_server(plain, address, 5222))
    conf = os.path.join(out, "dnsmasq.conf")
    with open(conf, "w") as f:
        f.write(f"local=/{DOMAIN}/\n")
        for k, name in enumerate(names):
            f.write(f"host-record={name},{net}.1.{k + 1}\nsrv-host=_xmpp-client._tcp.{name},{name},5222,0,0\n")
    port = 20000 + os.getpid() % 20000
    dns = subprocess.Popen(["/usr/sbin/dnsmasq", "--keep-in-foreground", "--no-resolv", "--no-hosts", "--no-poll",
                            f"--conf-file={conf}", f"--listen-address={net}.0.53", "--bind-interfaces", f"--port={port}",
                            "--pid-file=", "--user=", "--log-facility=-"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           preexec_fn=die_with_parent)
    with open(os.path.join(out, "targets.txt"), "w") as f:
        f.write("\n".join(names) + "\n")
    with open(os.path.join(out, "dns.txt"), "w") as f:
        f.write(f"{net}.0.53:{port}\n")
    with open(os.path.join(out, "truth.json"), "w") as f:
        json.dump({"results": total, "responding": RESPONDING, **counts,
                   "servers": {names[k]: {"address": f"{net}.1.{k + 1}",
                                          "profile": None if order[k] >= RESPONDING else
                                          {"ssl2": profiles[order[k]]["ssl2"],
                                           **{NAMES[v]: s for v, s in profiles[order[k]]["versions"].items()}}}
                               for k in range(total)}}, f, indent=1)
    print("ready", flush=True)
    try:
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    finally:
        dns.terminate()
        dns.wait()
        for s in servers:
            s.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
