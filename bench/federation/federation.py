#!/usr/bin/env python3
"""The simulated federation's generator (issue 14): N XMPP domains hosted on A server addresses with the skew
of real XMPP hosting, and the DNS that names them.

    federation.py plan N A NET SEED [SKEW] [BASE] > plan.json   the servers and the domains each hosts
    federation.py dns plan.json DIR                         DIR/fed.test.zone (SRV + A records), DIR/targets

Skew: server k (rank 1..A) hosts a share of N proportional to 1 / k^SKEW (Zipf; SKEW 1.1 by default), at least
one domain each, rounded by largest remainder so the sizes sum to N exactly. With 5,000 domains on 600 addresses
the largest server hosts ~960 domains, the ten largest ~2,800, and the tail is hundreds of one-domain servers —
the shape of the federation (a few hosting providers, then self-hosted servers). The seed decides which address
gets which rank, which domains each server hosts, and each server's TLS profile; the sizes follow from N, A and
SKEW alone.

Every server listens on four ports (RFC 6120 STARTTLS and XEP-0368 direct TLS, c2s and s2s) with one TLS profile
behind all four (as one server's certificate and cipher settings are), taken from bench/endpoints/endpoints.py:
the four fixed profiles (modern to legacy) and generated ones. Each domain gets the four SRV records
(_xmpp-client 5222, _xmpps-client 5223, _xmpp-server 5269, _xmpps-server 5270) naming its server's host name,
and the host name one A record. Addresses: NET.(BASE + i // 250).(1 + i % 250), BASE 100 by default, i.e. up to
38,750 servers in a /16 (NET is XMPPSCAN_FREE_NET, a /16 prefix like 127.195); the DNS server listens on
NET.(BASE - 1).53. Another BASE is another federation beside it (the smoke test uses 240). The zone is a plain
RFC 1035 master file for an authoritative server (Knot: up.sh), which indexes its names: a question costs the same
with 20 domains as with 10,000.
"""
import json
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "endpoints"))
from endpoints import PROFILES, all_openssl_suites  # noqa: E402  (the profiles are shared with the floor bench)

ZONE = "fed.test"
PORTS = {"c2s-starttls": 5222, "c2s-directtls": 5223, "s2s-starttls": 5269, "s2s-directtls": 5270}
SRV = {"_xmpp-client": 5222, "_xmpps-client": 5223, "_xmpp-server": 5269, "_xmpps-server": 5270}
# Hosting providers run current configurations more often than the tail does; the tail has the legacy and
# odd ones. Weights per profile for the ten largest servers and for the rest.
PROFILE_WEIGHTS = {
    "head": {"modern": 45, "intermediate": 35, "ejabberd": 15, "legacy": 5, "generated": 0},
    "tail": {"modern": 30, "intermediate": 25, "ejabberd": 15, "legacy": 10, "generated": 20},
}
HEAD = 10


def address(net, base, i):
    return f"{net}.{base + i // 250}.{1 + i % 250}"


def sizes(n, a, skew):
    """Domains per server, largest first: Zipf shares with at least one each, summing to n."""
    if a < 1 or n < a:
        raise ValueError(f"need 1 <= addresses <= domains (got {a} addresses, {n} domains)")
    weights = [1 / (k ** skew) for k in range(1, a + 1)]
    total = sum(weights)
    exact = [n * w / total for w in weights]
    counts = [max(1, int(e)) for e in exact]
    left = n - sum(counts)
    # The tail's minimum of one may overshoot n: take the excess from the largest servers; otherwise hand the
    # remainder out by largest fractional part.
    while left < 0:
        for k in range(a):
            if left < 0 and counts[k] > 1:
                counts[k] -= 1
                left += 1
    by_remainder = sorted(range(a), key=lambda k: (-(exact[k] - int(exact[k])), k))
    for k in by_remainder[:left]:
        counts[k] += 1
    # A remainder may lift a lower rank above a higher one (2 after 1): sizes fall with rank.
    return sorted(counts, reverse=True)


def profile(rnd, rank, suites):
    weights = PROFILE_WEIGHTS["head" if rank <= HEAD else "tail"]
    name = rnd.choices(list(weights), weights=list(weights.values()))[0]
    if name != "generated":
        return dict(PROFILES[name], profile=name)
    # As endpoints.py's generated endpoints: a random subset in random order, either order policy.
    chosen = rnd.sample(suites, rnd.randint(1, min(60, len(suites))))
    return {"profile": "generated", "ciphers": ":".join(chosen) + ":@SECLEVEL=0",
            "min": rnd.choice(["TLSv1", "TLSv1_1", "TLSv1_2", "TLSv1_2"]),
            "max": rnd.choice(["TLSv1_2", "TLSv1_3", "TLSv1_3"]), "server_order": rnd.random() < 0.5}


def plan(n, a, net, seed, skew=1.1, base=100):
    if base < 2 or base + (a - 1) // 250 > 254:
        raise ValueError(f"{a} addresses do not fit in {net}.{base}.1 .. {net}.254.250")
    rnd = random.Random(seed)
    counts = sizes(n, a, skew)
    slots = list(range(a))
    rnd.shuffle(slots)  # rank -> address slot: the big hosts are spread over the block, not the first addresses
    domains = [f"d{i}.{ZONE}" for i in range(n)]
    rnd.shuffle(domains)
    suites = all_openssl_suites()
    servers, taken = [], 0
    for rank, count in enumerate(counts, start=1):
        slot = slots[rank - 1]
        servers.append(dict(profile(rnd, rank, suites), rank=rank, address=address(net, base, slot),
                            host=f"s{slot}.{ZONE}", domains=sorted(domains[taken:taken + count])))
        taken += count
    servers.sort(key=lambda s: s["host"])
    return {"seed": seed, "skew": skew, "net": net, "zone": ZONE, "ports": PORTS, "dns": f"{net}.{base - 1}.53",
            "servers": servers}


def dns(plan_file, out):
    """The fed.test zone (RFC 1035 section 5 master file): SOA and NS, one A record per server host (and the name
    server's own), the four SRV records of every domain naming its server's host; and the targets, one per line."""
    p = json.load(open(plan_file))
    with open(os.path.join(out, f"{ZONE}.zone"), "w") as zone, open(os.path.join(out, "targets"), "w") as targets:
        zone.write(f"$ORIGIN {ZONE}.\n$TTL 3600\n@ SOA ns hostmaster 1 3600 600 86400 60\n@ NS ns\nns A {p['dns']}\n")
        for s in p["servers"]:
            host = s["host"].removesuffix("." + ZONE)
            zone.write(f"{host} A {s['address']}\n")
            for d in s["domains"]:
                targets.write(d + "\n")
                label = d.removesuffix("." + ZONE)
                for name, port in SRV.items():
                    zone.write(f"{name}._tcp.{label} SRV 0 5 {port} {host}\n")


def main():
    if len(sys.argv) >= 6 and sys.argv[1] == "plan":
        n, a, net, seed = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
        skew = float(sys.argv[6]) if len(sys.argv) > 6 else 1.1
        base = int(sys.argv[7]) if len(sys.argv) > 7 else 100
        try:
            p = plan(n, a, net, seed, skew, base)
        except ValueError as e:
            print(f"federation.py: {e}", file=sys.stderr)
            return 2
        json.dump(p, sys.stdout, indent=1)
        counts = sorted((len(s["domains"]) for s in p["servers"]), reverse=True)
        print(f"federation: seed {seed}, {n} domains on {a} addresses, skew {skew}: largest {counts[:5]}, "
              f"one-domain servers {counts.count(1)}", file=sys.stderr)
        return 0
    if len(sys.argv) == 4 and sys.argv[1] == "dns":
        dns(sys.argv[2], sys.argv[3])
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
