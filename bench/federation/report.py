#!/usr/bin/env python3
"""Rows of the federation benchmark (run.sh), markdown.

    report.py federation PLAN                      the federation's shape (one row)
    report.py census PLAN PREFIX WORKERS DEPTH MODE SPACING IN_FLIGHT RC LOAD
                                                   one census: PREFIX.time (GNU time: wall user sys maxrss) and the
                                                   servers' counts PREFIX.before.counts.W / PREFIX.after.counts.W
"""
import json
import re
import sys
from datetime import datetime
from collections import Counter


def federation(plan_file):
    p = json.load(open(plan_file))
    sizes = sorted((len(s["domains"]) for s in p["servers"]), reverse=True)
    profiles = Counter(s["profile"] for s in p["servers"])
    print("| federation | domains | addresses | seed | skew | largest servers (domains) | one-domain servers | profiles |")
    print("|---|---:|---:|---:|---:|---|---:|---|")
    print(f"| federation | {sum(sizes)} | {len(sizes)} | {p['seed']} | {p['skew']} | {', '.join(map(str, sizes[:5]))} "
          f"| {sizes.count(1)} | {', '.join(f'{k} {v}' for k, v in sorted(profiles.items()))} |")
    print()
    print("| census | depth | mode | spacing s | targets in flight | exit | wall s | CPU s | peak RSS MiB | connections "
          "| per domain | busiest address (domains) | its connections | floor s | wall / floor | scan s | scan / floor "
          "| most open at once | targets done / failed | load |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---|---|")


def counts(prefix, workers):
    total, peak = Counter(), 0
    for w in range(workers):
        c = json.load(open(f"{prefix}.counts.{w}"))
        total.update(c["connections"])
        peak += c["peak"]  # an upper bound across workers (each worker's own peak)
    return total, peak


def scan_seconds(prefix):
    """Feeder start to "census targets completed" in the node's log (standard error): the census without the
    process start, planning and discovery."""
    times = {}
    for line in open(prefix + ".err", errors="replace"):
        for key, text in (("start", "feeder of region"), ("end", "census targets completed")):
            if text in line and key not in times:
                times[key] = datetime.strptime(line.split()[0], "%H:%M:%S.%f")
    if len(times) < 2:
        return None
    return (times["end"] - times["start"]).total_seconds() % 86400


def done_failed(prefix):
    m = re.search(r"census targets \[[^]]*\]: (\d+) done, (\d+) failed of (\d+)", open(prefix + ".out", errors="replace").read())
    return f"{m.group(1)} / {m.group(2)} of {m.group(3)}" if m else "-"


def census(plan_file, prefix, workers, depth, mode, spacing, in_flight, rc, load):
    p = json.load(open(plan_file))
    domains_of = {s["address"]: len(s["domains"]) for s in p["servers"]}
    n = sum(domains_of.values())
    # GNU time writes "Command exited with non-zero status N" before its line when the command fails.
    wall, user, sys_, rss = open(prefix + ".time").read().split("\n")[-2].split()
    before, _ = counts(prefix + ".before", int(workers))
    after, peak = counts(prefix + ".after", int(workers))
    per_key = after - before
    per_address = Counter()
    for key, v in per_key.items():
        per_address[key.split()[0]] += v
    connections = sum(per_address.values())
    busiest, busiest_n = per_address.most_common(1)[0] if per_address else ("-", 0)
    floor = busiest_n * float(spacing)
    ratio = f"{float(wall) / floor:.2f}" if floor > 0 else "-"
    scan = scan_seconds(prefix)
    scan_ratio = f"{scan / floor:.2f}" if scan is not None and floor > 0 else "-"
    scan_text = f"{scan:.1f}" if scan is not None else "-"
    print(f"| census | {depth} | {mode} | {spacing} | {in_flight} | {rc} | {float(wall):.1f} | {float(user) + float(sys_):.1f} "
          f"| {int(rss) // 1024} | {connections} | {connections / n:.2f} | {busiest} ({domains_of.get(busiest, 0)}) "
          f"| {busiest_n} | {floor:.1f} | {ratio} | {scan_text} | {scan_ratio} | {peak} | {done_failed(prefix)} | {load} |")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "federation":
        federation(sys.argv[2])
        return 0
    if len(sys.argv) == 11 and sys.argv[1] == "census":
        census(*sys.argv[2:])
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
