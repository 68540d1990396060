#!/usr/bin/env python3
"""The benchmark's markdown report from results.jsonl (one line per tool run, written by bench/run.sh).

    report.py RESULTS.jsonl [--rtt MS] [--delay-ms MS] [--xmppscan-concurrency OPTION|none]

Per mode (loopback, latency) a table server | tool | connections | max open | wall time | findings |
same as xmppscan?, then per server the connection floor and the targets, then every findings difference.

The floor for exact per-protocol results (issue 3): one connection per accepted suite per protocol, one
refusal per protocol (SSLv2, SSLv3, TLS 1.0-1.3: 6), plus the key-exchange groups: one per accepted group
and one refusal per group list measured (the ECDHE curves at TLS 1.2, the TLS 1.3 groups). When xmppscan's
JSON reports its own floor, that one is used; otherwise it is estimated from the reference suites and
sslscan's group lists (marked "est.").
"""
import argparse
import json
import os
from collections import OrderedDict

TOOLS = ["xmppscan", "testssl", "nmap", "sslscan"]
PROTOCOLS = ["SSLv2", "SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"]
SHORT = {"SSLv2": "SSL2", "SSLv3": "SSL3", "TLSv1.0": "1.0", "TLSv1.1": "1.1", "TLSv1.2": "1.2", "TLSv1.3": "1.3"}
MAPPING = "/etc/testssl/cipher-mapping.txt"


def suite_names():
    names = {}
    try:
        for line in open(MAPPING):
            f = line.split()
            if len(f) >= 4 and f[1] == "-" and f[0].count(",") == 1:
                hi, lo = f[0].split(",")
                names[f"0x{int(hi, 16):02X}{int(lo, 16):02X}"] = f[3]
    except OSError:
        pass
    return names


NAMES = suite_names()


def name(code):
    return NAMES.get(code, code)


def summary(protocols):
    if protocols is None:
        return None
    if not protocols:
        return "none"
    return ", ".join(f"{SHORT.get(p, p)}: {len(s)}" for p, s in sorted(protocols.items(), key=lambda kv: PROTOCOLS.index(kv[0]) if kv[0] in PROTOCOLS else 99))


def as_sets(protocols):
    return {p: set(s) for p, s in (protocols or {}).items() if s}


def majority(rows):
    """Suites listed by more than half of the tools that produced suite lists."""
    lists = [as_sets(r["findings"]["protocols"]) for r in rows if r["findings"]["protocols"] is not None]
    if not lists:
        return None
    votes = {}
    for sets in lists:
        for p, s in sets.items():
            for c in s:
                votes[(p, c)] = votes.get((p, c), 0) + 1
    out = {}
    for (p, c), v in votes.items():
        if 2 * v > len(lists):
            out.setdefault(p, set()).add(c)
    return out


def diff(a, b):
    """What a has that b lacks (+) and what b has that a lacks (-), per protocol."""
    plus, minus = {}, {}
    for p in set(a) | set(b):
        x, y = a.get(p, set()), b.get(p, set())
        if x - y:
            plus[p] = sorted(x - y)
        if y - x:
            minus[p] = sorted(y - x)
    return plus, minus


def fmt_time(s):
    return f"{s:.1f} s" if s < 100 else f"{s:.0f} s"


def floor_for(rows, reference):
    x = next((r for r in rows if r["tool"] == "xmppscan"), None)
    if x and x["findings"].get("floor") is not None:
        return x["findings"]["floor"], "xmppscan"
    if reference is None:
        return None, None
    n = sum(len(s) for s in reference.values()) + len(PROTOCOLS)
    s = next((r for r in rows if r["tool"] == "sslscan" and r["findings"].get("groups")), None)
    if s:
        for p in ("TLSv1.2", "TLSv1.3"):
            g = s["findings"]["groups"].get(p)
            if g:
                n += len(g) + 1
    return n, "est."


def xmppscan_version(rows):
    for r in rows:
        if r["tool"] == "xmppscan":
            try:
                return json.load(open(os.path.join(r["dir"], "xmppscan.json"))).get("tool_version")
            except (OSError, ValueError):
                return None
    return None


def section(mode, rows, args, out, differences):
    servers = list(OrderedDict.fromkeys(r["server"] for r in rows))
    if mode == "loopback":
        out.append("## Loopback: the shared testbed on 127.1.0.0/24, no added latency, each tool's own concurrency")
    else:
        out.append(f"## Latency: {2 * float(args.delay_ms):g} ms round trip through the delay bridge "
                   f"(ping median {args.rtt or '?'} ms), at most 2 connections at once per tool")
    out.append("")
    out.append("| server | tool | connections | max open | wall time | findings (accepted suites per protocol) | same as xmppscan? |")
    out.append("|---|---|---:|---:|---:|---|---|")
    targets = []
    for server in servers:
        srows = sorted((r for r in rows if r["server"] == server), key=lambda r: TOOLS.index(r["tool"]))
        x = next((r for r in srows if r["tool"] == "xmppscan"), None)
        xsets = as_sets(x["findings"]["protocols"]) if x and x["findings"]["protocols"] is not None else None
        peers = [r for r in srows if r["tool"] != "xmppscan"]
        reference = xsets if xsets is not None else majority(peers)
        for r in srows:
            f = r["findings"]
            s = summary(f["protocols"])
            if s is None:
                s = f"no suite lists ({f.get('note') or 'see raw output'})"
            if r["tool"] == "xmppscan":
                same = "—"
            elif xsets is None:
                same = "n/a (xmppscan lists no suites)"
            elif f["protocols"] is None:
                same = "n/a"
            else:
                plus, minus = diff(as_sets(f["protocols"]), xsets)
                same = "yes" if not plus and not minus else \
                    f"no: +{sum(map(len, plus.values()))} −{sum(map(len, minus.values()))}"
            rc = "" if r["rc"] == 0 else f" (exit {r['rc']})"
            out.append(f"| {server} | {r['tool']} | {r['connections']} | {r['max_concurrent']} | "
                       f"{fmt_time(r['wall_s'])}{rc} | {s} | {same} |")
            if reference is not None and f["protocols"] is not None and r is not x:
                plus, minus = diff(as_sets(f["protocols"]), reference)
                if plus or minus:
                    differences.append((mode, server, r["tool"], "xmppscan" if xsets is not None else "peer majority",
                                        plus, minus))
        floor, source = floor_for(srows, reference)
        if x is not None:
            fewest = min((r["connections"] for r in peers), default=None)
            fastest = min((r["wall_s"] for r in peers), default=None)
            t = f"- **{server}**: xmppscan {x['connections']} connections, {fmt_time(x['wall_s'])}"
            if xsets is None:
                t += ("; targets not applicable: xmppscan lists no suites yet (one handshake per endpoint), "
                      "so its findings are not the peers' findings")
                if floor is not None:
                    t += f"; floor for the peers' findings {floor} ({source}), target ≤ {floor + 10}"
            else:
                if floor is not None:
                    ok = "met" if x["connections"] <= floor + 10 else "NOT met"
                    t += f"; floor {floor} ({source}), target ≤ {floor + 10}: {ok}"
                if fewest is not None:
                    t += f"; fewest peer connections {fewest}: {'fewer' if x['connections'] < fewest else 'NOT fewer'}"
                if fastest is not None:
                    t += f"; fastest peer {fmt_time(fastest)}: {'faster' if x['wall_s'] < fastest else 'NOT faster'}"
                same = all(r["findings"]["protocols"] is not None and not any(diff(as_sets(r["findings"]["protocols"]), xsets))
                           for r in peers)
                t += f"; same findings as every peer: {'yes' if same else 'no'}"
            targets.append(t)
    out.append("")
    out.extend(targets)
    out.append("")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results")
    ap.add_argument("--rtt", default="")
    ap.add_argument("--delay-ms", default="25")
    ap.add_argument("--xmppscan-concurrency", default="none")
    args = ap.parse_args()
    rows = [json.loads(line) for line in open(args.results) if line.strip()]
    out = ["# xmppscan benchmark", ""]
    v = xmppscan_version(rows)
    out.append(f"xmppscan {v or '(version unknown)'}; testssl.sh `{os.environ.get('TESTSSL_ARGS', '-E')}`, "
               "nmap `--script ssl-enum-ciphers`, sslscan `--starttls-xmpp`. Connections = SYNs to the server "
               "address:5222 in a tcpdump capture; max open = most connections open at once (SYN to first "
               f"FIN/RST). xmppscan concurrency option: {args.xmppscan_concurrency}.")
    out.append("")
    differences = []
    for mode in ("loopback", "latency"):
        mrows = [r for r in rows if r["mode"] == mode]
        if mrows:
            section(mode, mrows, args, out, differences)
    out.append("## Findings differences")
    out.append("")
    if not differences:
        out.append("None: every tool that lists suites lists the same ones as the reference.")
    for mode, server, tool, ref, plus, minus in differences:
        parts = []
        for p in PROTOCOLS:
            if p in plus:
                parts.append(f"{p} only {tool}: {', '.join(name(c) for c in plus[p])}")
            if p in minus:
                parts.append(f"{p} missing in {tool}: {', '.join(name(c) for c in minus[p])}")
        out.append(f"- {mode} {server}, {tool} vs {ref}: " + "; ".join(parts))
    print("\n".join(out))


if __name__ == "__main__":
    main()
