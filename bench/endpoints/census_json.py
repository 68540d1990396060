#!/usr/bin/env python3
"""The TLS assessments a census journaled, as compare.py's input (the shape of `xmppscan scan --json`): one
document per domain with the assessed endpoint on PORT (the port nmap scanned; the census also assesses the
direct-TLS port its fallback finds).

    census_json.py EVENTS_DB [PORT]  > census.json
"""
import json
import sqlite3
import sys


def main():
    db, port = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 5222
    rows = sqlite3.connect(db).execute(
        "select persistence_id, manifest, cast(payload as text) from event_journal "
        "where manifest in ('endpoint_discovered.v1', 'endpoint_tls_assessed.v1') order by persistence_id, sequence_nr")
    discovered, domains = {}, {}
    for pid, manifest, payload in rows:
        e = json.loads(payload)
        if manifest == "endpoint_discovered.v1":
            # An endpoint's index is its place among its mode's discovered endpoints (TargetStateMachine.Evolve).
            found = discovered.setdefault((pid, e["mode"]), [])
            found.append(e)
            continue
        endpoint = discovered[(pid, e["mode"])][e["index"]]
        if endpoint["port"] == port:
            domains.setdefault(endpoint["domain"], []).append({"port": port, "assessment": e["assessment"]})
    json.dump({"domains": [{"domain": d, "endpoints": eps} for d, eps in sorted(domains.items())]}, sys.stdout)


if __name__ == "__main__":
    main()
