#!/usr/bin/env python3
"""Testbed manifest lookups for the benchmark (the live $TESTBED_MANIFEST written by deploy/testbed/up.sh).

    servers.py MANIFEST NAME domain|address|software
                                              one field of the endpoint NAME (modern, legacy, ejabberd, ...);
                                              software: its domain's server (prosody, ejabberd)
    servers.py MANIFEST --hosts               an /etc/hosts for lib/with-hosts.sh: "ADDRESS DOMAIN" per
                                              endpoint, the domain first so the reverse name of the address
                                              is the XMPP domain (nmap's to=)
"""
import json
import sys


def main():
    m = json.load(open(sys.argv[1]))
    if sys.argv[2] == "--hosts":
        print("127.0.0.1 localhost")
        for d in m["domains"]:
            for e in d.get("endpoints", []):
                print(f"{e['address']} {d['domain']}")
        return 0
    name, field = sys.argv[2], sys.argv[3]
    for d in m["domains"]:
        for e in d.get("endpoints", []):
            if e["name"] == name:
                print({"domain": d["domain"], "address": e["address"], "software": d["software"]}[field])
                return 0
    print(f"servers.py: no endpoint named {name} in {sys.argv[1]}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
