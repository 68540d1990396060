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
          "| most open at once | most in flight | its first start s | its idle s | its connections over spacing s "
          "| its mean connection ms | after its last s | targets done / failed | load |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|")


def counts(prefix, workers):
    total, peak = Counter(), 0
    for w in range(workers):
        c = json.load(open(f"{prefix}.counts.{w}"))
        total.update(c["connections"])
        peak += c["peak"]  # an upper bound across workers (each worker's own peak)
    return total, peak


def scan_times(prefix):
    """Feeder start and the census's end in the node's log (standard error), seconds of the UTC day: the end is the
    first of the feeder's "census targets completed" and the embedded node's "census finished in region" (whichever
    saw it first; builds before the latter logged only the former)."""
    times = {}
    for line in open(prefix + ".err", errors="replace"):
        for key, text in (("start", "feeder of region"), ("end", "census targets completed"), ("end", "census finished in region")):
            if text in line and key not in times:
                t = datetime.strptime(line.split()[0], "%H:%M:%S.%f")
                times[key] = t.hour * 3600 + t.minute * 60 + t.second + t.microsecond / 1e6
    return times


def scan_seconds(prefix):
    """Feeder start to the census's end: the census without the process start, planning and discovery."""
    times = scan_times(prefix)
    if len(times) < 2:
        return None
    return (times["end"] - times["start"]) % 86400


def most_in_flight(prefix):
    """The node's "target slots: at most N of M targets in flight" (logged when it stops; builds before it: "-")."""
    m = re.search(r"target slots: at most (\d+) of (\d+) targets in flight", open(prefix + ".err", errors="replace").read())
    return f"{m.group(1)} of {m.group(2)}" if m else "-"


def busiest_timeline(prefix, address, spacing):
    """Where the scan's time above the floor goes on the busiest address, from the census's connection log (ADDRESS
    PORT OPENED_MS CLOSED_MS DOMAIN; opened is the connection's reported start, what the limiter counts the spacing from). With its n connections at spacing s:
    scan = first start + (n - 1) s + over-spacing + idle + its last connection + after its last, where over-spacing is
    the sum of max(0, duration - s) (at --max-per-ip 1 the next start waits for the close) and idle the sum of the gaps
    in which it could have started one and none was waiting. Returns the five figures as text, or dashes."""
    dashes = ["-"] * 5
    times = scan_times(prefix)
    try:
        rows = [line.split() for line in open(prefix + ".connections", errors="replace")]
    except FileNotFoundError:
        return dashes
    conns = sorted((int(r[2]) / 1000 % 86400, int(r[3]) / 1000 % 86400) for r in rows if len(r) >= 4 and r[0] == address)
    if not conns or len(times) < 2:
        return dashes
    over = sum(max(0.0, close - opened - spacing) for opened, close in conns)
    idle = sum(max(0.0, nxt[0] - max(opened + spacing, close)) for (opened, close), nxt in zip(conns, conns[1:]))
    mean_ms = 1000 * sum(close - opened for opened, close in conns) / len(conns)
    last_close = max(close for _, close in conns)
    return [f"{(conns[0][0] - times['start']) % 86400:.1f}", f"{idle:.1f}", f"{over:.1f}", f"{mean_ms:.0f}",
            f"{(times['end'] - last_close) % 86400:.1f}"]


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
          f"| {busiest_n} | {floor:.1f} | {ratio} | {scan_text} | {scan_ratio} | {peak} | {most_in_flight(prefix)} "
          f"| {' | '.join(busiest_timeline(prefix, busiest, float(spacing)))} | {done_failed(prefix)} | {load} |")


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
