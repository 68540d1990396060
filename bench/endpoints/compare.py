#!/usr/bin/env python3
"""Per-endpoint findings of xmppscan (scan --json of every domain) and nmap (-oX of every address), compared:
accepted suites per protocol as IANA codes, and the order where both claim a server order.

    compare.py PLAN XMPPSCAN_JSON NMAP_XML     prints one JSON line: endpoints, equal, differences[],
                                               xmppscan suite connections vs floor per endpoint
"""
import json
import os
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
import findings  # noqa: E402  (bench/lib/findings.py: nmap's suite names, protocol names)


def xmppscan_by_domain(path):
    doc = json.load(open(path))
    out = {}
    for d in findings.walk(doc):
        if not isinstance(d.get("endpoints"), list) or "domain" not in d:
            continue
        for e in d["endpoints"]:
            a = e.get("assessment") if isinstance(e, dict) else None
            if not isinstance(a, dict):
                continue
            protos, orders, cost = {}, {}, []
            per_probe = {p["probe"]: p["connections"] for p in a["connections"]["per_probe"]}
            for p in a["protocols"]:
                if p["protocol"] == "SSLv2":
                    continue
                codes = [findings.hexcode(s["code"]) for s in p["suites"]]
                if codes:
                    protos[p["protocol"]] = codes
                    orders[p["protocol"]] = p.get("suite_order")
                used = per_probe.get("suites " + p["protocol"], 0) + per_probe.get("suite_order " + p["protocol"], 0)
                floor = len(codes) + 1 + (1 if p["protocol"] == "TLSv1.2" and p.get("suite_order") in ("server", "inconsistent") else 0)
                cost.append((used, floor))
            # The control hello proves closes read as refusals (issue 16): charged to the suites, whichever close it proved.
            cost.append((per_probe.get("control hello", 0), 0))
            out[d["domain"]] = {"protocols": protos, "orders": orders, "cost": cost,
                                "total": a["connections"]["total"], "floor": a["connections"]["floor"]}
    return out


def nmap_by_address(path):
    codes = findings.nmap_codes()
    out = {}
    for host in ET.parse(path).getroot().iter("host"):
        addr = host.find("address").get("addr")
        protos, orders = {}, {}
        for script in host.iter("script"):
            if script.get("id") != "ssl-enum-ciphers":
                continue
            for proto in script.findall("table"):
                names = [c.findtext("elem[@key='name']") for t in proto.findall("table[@key='ciphers']") for c in t.findall("table")]
                protos[findings.norm_proto(proto.get("key"))] = [findings.hexcode(codes[n]) for n in names if n in codes]
                orders[findings.norm_proto(proto.get("key"))] = proto.findtext("elem[@key='cipher preference']")
        out[addr] = {"protocols": {p: s for p, s in protos.items() if s}, "orders": orders}
    return out


def main():
    plan = json.load(open(sys.argv[1]))["endpoints"]
    ours = xmppscan_by_domain(sys.argv[2])
    theirs = nmap_by_address(sys.argv[3])
    diffs, equal, order_equal, order_compared, at_floor, worst = [], 0, 0, 0, 0, 0.0
    used_sum = floor_sum = 0
    for e in plan:
        x, n = ours.get(e["domain"]), theirs.get(e["address"])
        if x is None or n is None:
            diffs.append(f"{e['domain']}: missing ({'xmppscan' if x is None else 'nmap'})")
            continue
        xs = {p: sorted(s) for p, s in x["protocols"].items()}
        ns = {p: sorted(s) for p, s in n["protocols"].items()}
        if xs == ns:
            equal += 1
        else:
            diffs.append(f"{e['domain']} ({e['profile']}): xmppscan {json.dumps(xs)} nmap {json.dumps(ns)}")
        # nmap lists a server-order protocol's suites in the server's order ("cipher preference: server").
        for p, order in x["orders"].items():
            if order == "server" and n["orders"].get(p) == "server" and p in n["protocols"]:
                order_compared += 1
                if x["protocols"][p] == n["protocols"][p]:
                    order_equal += 1
                else:
                    diffs.append(f"{e['domain']} {p}: order differs")
        used = sum(u for u, _ in x["cost"])
        floor = sum(f for _, f in x["cost"])
        used_sum += used
        floor_sum += floor
        worst = max(worst, used / floor)
        at_floor += used <= 1.05 * floor
    print(json.dumps({"endpoints": len(plan), "findings_equal": equal, "server_orders_compared": order_compared,
                      "server_orders_equal": order_equal, "suite_connections": used_sum, "suite_floor": floor_sum,
                      "endpoints_within_1.05_floor": at_floor, "worst_ratio": round(worst, 3), "differences": diffs}))


if __name__ == "__main__":
    main()
