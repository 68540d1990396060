#!/usr/bin/env python3
"""Reads one scanner's output and prints its findings as JSON: the accepted cipher suites per protocol.

    findings.py xmppscan|testssl|nmap|sslscan OUTPUT_FILE [PORT]

Output: {"protocols": {"TLSv1.2": ["0xC02F", ...], ...} or null, "groups": {...} or null, "floor": N or null,
         "connections_reported": N or null, "note": "..."}
Suites are compared by IANA code (hex, upper case), never by name: every tool names them differently
(OpenSSL names in sslscan, IANA names in testssl and xmppscan, nmap's own names such as TLS_AKE_WITH_...).
Protocols are normalised to SSLv2, SSLv3, TLSv1.0, TLSv1.1, TLSv1.2, TLSv1.3; only protocols with at least
one accepted suite are listed. "protocols" is null when the output has no per-protocol suite lists at all
(xmppscan before the TLS assessment landed: one handshake per endpoint).
"""
import json
import re
import sys
import xml.etree.ElementTree as ET

NMAP_TLS_LUA = "/usr/share/nmap/nselib/tls.lua"


def norm_proto(p):
    p = p.strip().replace(" ", "").replace("_", ".")
    table = {"SSLv2": "SSLv2", "SSLv3": "SSLv3", "TLSv1": "TLSv1.0", "TLSv1.0": "TLSv1.0", "TLS1": "TLSv1.0",
             "TLSv1.1": "TLSv1.1", "TLS1.1": "TLSv1.1", "TLSv1.2": "TLSv1.2", "TLS1.2": "TLSv1.2",
             "TLSv1.3": "TLSv1.3", "TLS1.3": "TLSv1.3", "ssl2": "SSLv2", "ssl3": "SSLv3", "tls1": "TLSv1.0",
             "tls1.1": "TLSv1.1", "tls1.2": "TLSv1.2", "tls1.3": "TLSv1.3"}
    return table.get(p, p)


def hexcode(n):
    return f"0x{n:04X}"


def result(protocols, groups=None, floor=None, reported=None, note=""):
    if protocols is not None:
        protocols = {p: sorted(set(s)) for p, s in sorted(protocols.items()) if s}
    return {"protocols": protocols, "groups": groups, "floor": floor, "connections_reported": reported,
            "note": note}


def walk(node):
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from walk(v)


def endpoints_on_port(doc, port):
    """The endpoint objects of the scanned port (with --connect there is only one; a DNS-driven scan also
    has the direct-TLS port, which the other tools did not scan). The whole document if none has a port."""
    eps = [o for o in walk(doc) if isinstance(o.get("endpoints"), list)]
    chosen = [e for o in eps for e in o["endpoints"] if isinstance(e, dict) and str(e.get("port")) == str(port)]
    return chosen if chosen else [doc]


def xmppscan(path, port=None):
    """xmppscan --json. The TLS assessment (branch assess) writes, per endpoint, a list of protocol objects
    {"protocol": "TLSv1.2", "supported": true, "suites": [{"code": 49199, "name": ...}, ...]} and
    {"connections": {"total": N, "floor": N}}. They are looked up by shape, not by path, so the harness keeps
    working if they move inside the document."""
    doc = json.load(open(path))
    if port is not None:
        doc = endpoints_on_port(doc, port)
    protocols, found, floor, total = {}, False, None, None
    groups = {}
    for o in walk(doc):
        if "protocol" in o and isinstance(o.get("suites"), list):
            found = True
            codes = [hexcode(s["code"]) for s in o["suites"] if isinstance(s, dict) and "code" in s]
            if codes:
                protocols.setdefault(norm_proto(o["protocol"]), []).extend(codes)
        if isinstance(o.get("connections"), dict) and "floor" in o["connections"]:
            c = o["connections"]
            floor = (floor or 0) + int(c["floor"])
            total = (total or 0) + int(c.get("total", 0))
        for key in ("ecdhe_curves", "tls13_groups"):
            if isinstance(o.get(key), list):
                groups[key] = [g.get("name") for g in o[key] if isinstance(g, dict)]
    if not found:
        tls = [o for o in walk(doc) if "cipher_suite" in o and "protocol" in o]
        note = "one handshake per endpoint, no suite enumeration"
        if tls:
            note += f" (negotiated {tls[0]['protocol']} {tls[0]['cipher_suite'].get('name')})"
        return result(None, note=note)
    return result(protocols, groups or None, floor, total)


def testssl(path):
    """testssl.sh --jsonfile (flat): -E writes one entry per accepted suite, id "cipher-tls1_2_xc02f"."""
    doc = json.load(open(path))
    entries = doc if isinstance(doc, list) else doc.get("scanResult", [])
    protocols, found = {}, False
    for e in walk(entries):
        m = re.match(r"^cipher-(ssl2|ssl3|tls1|tls1_1|tls1_2|tls1_3)_x([0-9a-fA-F]+)$", str(e.get("id", "")))
        if m:
            found = True
            code = int(m.group(2), 16)
            if code > 0xFFFF:  # SSLv2 cipher kinds are 24-bit
                continue
            protocols.setdefault(norm_proto(m.group(1)), []).append(hexcode(code))
        elif str(e.get("id", "")).startswith("cipherorder_") or str(e.get("id", "")).startswith("cipher_order"):
            found = True
    note = "" if found else "no per-protocol suite list (run without -E)"
    return result(protocols if found else None, note=note)


def nmap_codes():
    codes = {}
    for line in open(NMAP_TLS_LUA):
        m = re.match(r'^\s*\[?"?((?:TLS|SSL)\w+)"?\]?\s*=\s*(0x[0-9A-Fa-f]+)', line)
        if m:
            codes.setdefault(m.group(1), int(m.group(2), 16))
    return codes


def nmap(path):
    """nmap -oX with ssl-enum-ciphers: <table key="TLSv1.2"><table key="ciphers"><table><elem key="name">."""
    root = ET.parse(path).getroot()
    codes = nmap_codes()
    protocols, unknown, found = {}, [], False
    for script in root.iter("script"):
        if script.get("id") != "ssl-enum-ciphers":
            continue
        found = True
        for proto in script.findall("table"):
            for ciphers in proto.findall("table[@key='ciphers']"):
                for c in ciphers.findall("table"):
                    name = c.findtext("elem[@key='name']")
                    if name in codes:
                        protocols.setdefault(norm_proto(proto.get("key")), []).append(hexcode(codes[name]))
                    elif name:
                        unknown.append(name)
    note = "" if found else "no ssl-enum-ciphers output"
    if unknown:
        note += f" unknown names: {unknown}"
    return result(protocols if found else None, note=note)


def sslscan(path):
    """sslscan --xml: <cipher status="accepted" sslversion="TLSv1.2" id="0xC02F"/>, <group sslversion= id=/>."""
    root = ET.parse(path).getroot()
    protocols, groups, found = {}, {}, False
    for t in root.iter("ssltest"):
        found = True
    for c in root.iter("cipher"):
        if c.get("status") in ("accepted", "preferred") and c.get("id"):
            protocols.setdefault(norm_proto(c.get("sslversion", "")), []).append(hexcode(int(c.get("id"), 16)))
    for g in root.iter("group"):
        groups.setdefault(norm_proto(g.get("sslversion", "")), []).append(g.get("name"))
    return result(protocols if found else None, groups or None, note="" if found else "no ssltest in XML")


def main():
    tool, path = sys.argv[1], sys.argv[2]
    port = sys.argv[3] if len(sys.argv) > 3 else None
    try:
        out = xmppscan(path, port) if tool == "xmppscan" else \
            {"testssl": testssl, "nmap": nmap, "sslscan": sslscan}[tool](path)
    except (OSError, ValueError, ET.ParseError, KeyError, TypeError) as e:
        out = result(None, note=f"unreadable output: {type(e).__name__}: {e}")
    json.dump(out, sys.stdout)
    print()


if __name__ == "__main__":
    main()
