#!/usr/bin/env python3
"""Are two `xmppscan scan --json` reports the same findings? (bench/sharing, issue 14)

    compare.py REFERENCE.json OTHER.json...

Compares what a scan found, not what it cost: every grade of every policy (the `gradings`: domain, mode and endpoint
grades with their caps, categories and reasons), and per endpoint (domain, mode, address, port) the status, the
protocols with their suites in order, the key exchange, the signature algorithms, every vulnerability probe's status and
facts, the derived weaknesses, every simulated client's outcome, and the certificate's trust and identity. Left out:
durations, connection counts, evidence made new per connection (ServerHello bytes, stream ids), the scan time in a
trust issue's words and whose result an endpoint reused (`sharing`, `reused_from`). Prints one line per file ("equal" or the first differences) and exits 1
when any differs.
"""
import json
import re
import sys

COST = {"connections", "candidates_tested", "elapsed_ms", "server_hello_hex", "stream_id", "sharing", "reused_from",
        "chain_sha256"}


# A trust issue names the moment of its scan ("expired on … (scan time 2026-12-06 16:14:18 UTC)"): not a finding.
SCAN_TIME = re.compile(r"\(scan time [^)]*\)")


def strip(node):
    if isinstance(node, dict):
        return {k: strip(v) for k, v in node.items() if k not in COST}
    if isinstance(node, list):
        return [strip(v) for v in node]
    if isinstance(node, str):
        return SCAN_TIME.sub("(scan time)", node)
    return node


def findings(path):
    report = json.load(open(path))
    out = {}
    for g in report.get("gradings") or []:
        key = ("grade", g["domain"], g["mode"], g.get("endpoint") or "", g["result"]["policy"])
        out[key] = strip(g["result"])
    for d in report["domains"]:
        out[("domain", d["domain"], d["mode"])] = d["status"]
        for e in d["endpoints"]:
            key = (d["domain"], d["mode"], e["address"], e["port"])
            a = e.get("assessment") or {}
            cert = e.get("certificate") or {}
            out[key] = strip({
                "status": e["status"],
                "protocols": a.get("protocols"),
                "key_exchange": a.get("key_exchange"),
                "signature_algorithms": a.get("signature_algorithms"),
                "vulnerabilities": e.get("vulnerabilities"),
                "clients": (e.get("client_simulation") or {}).get("clients"),
                "trust": cert.get("trust"),
                "identity": cert.get("identity"),
            })
    return out


def differences(a, b, path="", found=None):
    found = [] if found is None else found
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b), key=str):
            if a.get(k) != b.get(k):
                differences(a.get(k), b.get(k), f"{path}.{k}", found)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                differences(x, y, f"{path}[{i}]", found)
    else:
        found.append(f"{path}: {json.dumps(a)[:160]} / {json.dumps(b)[:160]}")
    return found


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    reference = findings(sys.argv[1])
    grades = sum(1 for k in reference if k[0] == "grade")
    endpoints = sum(1 for k in reference if k[0] not in ("grade", "domain"))
    status = 0
    for other in sys.argv[2:]:
        diff = []
        theirs = findings(other)
        for key in sorted(set(reference) | set(theirs), key=str):
            if reference.get(key) != theirs.get(key):
                differences(reference.get(key), theirs.get(key), " ".join(map(str, key)), diff)
        if diff:
            status = 1
            print(f"{other}: DIFFERS from {sys.argv[1]} at {len(diff)} places:")
            for line in diff[:20]:
                print("  " + line)
        else:
            print(f"{other}: equal ({endpoints} endpoints, {grades} grades over every policy)")
    return status


if __name__ == "__main__":
    sys.exit(main())
