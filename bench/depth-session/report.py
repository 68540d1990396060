#!/usr/bin/env python3
"""Rows of the depth-session benchmark (run.sh), markdown.

    report.py header PLAN MODE XMPPSCAN              the federation, the xmppscan run, and the census table's header
    report.py census PREFIX IN_FLIGHT RC SERVER_TICKS DNS_TICKS CLK_TCK LOAD
                                                     one census: PREFIX.time (GNU time: wall user sys maxrss KiB),
                                                     PREFIX.out / .err (the census's output and node log),
                                                     PREFIX.events.db (the journal), PREFIX.samples (sampler.py)

The scan's own CPU ("scan CPU s") is the census process's CPU from the feeder's start to the census's end (the node
log's "feeder of region" and the first of "census targets completed" / "census finished in region"), read from the
samples: the process start, JIT warm-up and the planning (discovery of every domain) are before it.
    report.py memory WORK N1 N2 ...                  memory per target in flight: the slope of peak RSS between censuses
    report.py runtime WORK N1 N2 ...                 what each census's process spent by the runtime's own count (the
                                                     node's "process: …" line): allocation, collections, JIT, CPU
"""
import json
import os
import re
import sqlite3
import sys
from collections import Counter

# The feeder's start and the census's end in the node's log: read the same way as the federation bench's.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "federation"))
from report import scan_times  # noqa: E402

MODES = {"c2s": 2, "s2s": 2, "both": 4}  # endpoints per domain: STARTTLS and direct TLS per mode


def header(plan_file, mode, xmppscan):
    p = json.load(open(plan_file))
    sizes = sorted((len(s["domains"]) for s in p["servers"]), reverse=True)
    profiles = Counter(s["profile"] for s in p["servers"])
    print("| federation | domains | addresses | endpoints (mode " + mode + ") | largest servers (domains) | profiles |")
    print("|---|---:|---:|---:|---|---|")
    print(f"| federation | {sum(sizes)} | {len(sizes)} | {sum(sizes) * MODES[mode]} | {', '.join(map(str, sizes[:5]))} "
          f"| {', '.join(f'{k} {v}' for k, v in sorted(profiles.items()))} |")
    print()
    print(f"xmppscan: {xmppscan}")
    print()
    print("| targets in flight | most in flight | exit | targets done / failed | endpoints done (completed) | wall s "
          "| CPU s | **endpoints per CPU s** | scan s | scan CPU s | endpoints per scan CPU s | endpoints per wall s "
          "| peak RSS MiB | servers' CPU s | knotd CPU s | load |")
    print("|---:|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")


def time_line(prefix):
    # GNU time writes "Command exited with non-zero status N" before its line when the command fails.
    wall, user, sys_, rss = open(prefix + ".time").read().split("\n")[-2].split()
    return float(wall), float(user) + float(sys_), int(rss)


def most_in_flight(prefix):
    """The node's "target slots: at most N of M targets in flight" (logged when its slots stop)."""
    m = re.search(r"target slots: at most (\d+) of (\d+) targets in flight", open(prefix + ".err", errors="replace").read())
    return (int(m.group(1)), int(m.group(2))) if m else None


def sessions(prefix):
    """Endpoint sessions in the journal (endpoint_session_observed events) and how many completed."""
    path = prefix + ".events.db"
    if not os.path.exists(path):
        return 0, 0
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT payload FROM event_journal WHERE manifest LIKE 'endpoint_session_observed.%'").fetchall()
    finally:
        db.close()
    completed = 0
    for (payload,) in rows:
        report = json.loads(payload).get("report", {})
        completed += report.get("status") == "completed"
    return len(rows), completed


def scan_cpu(prefix):
    """(scan seconds, the process's CPU seconds over them) from the samples, or None."""
    times = scan_times(prefix)
    try:
        samples = [tuple(map(float, line.split())) for line in open(prefix + ".samples") if len(line.split()) == 3]
    except FileNotFoundError:
        return None
    if len(times) < 2 or not samples:
        return None

    def cpu_at(t):  # the last sample at or before t (CPU only grows)
        before = [cpu for day, cpu, _ in samples if day <= t]
        return before[-1] if before else samples[0][1]

    return (times["end"] - times["start"]) % 86400, cpu_at(times["end"]) - cpu_at(times["start"])


def done_failed(prefix):
    m = re.search(r"census targets \[[^]]*\]: (\d+) done, (\d+) failed of (\d+)", open(prefix + ".out", errors="replace").read())
    return f"{m.group(1)} / {m.group(2)} of {m.group(3)}" if m else "-"


def census(prefix, in_flight, rc, server_ticks, dns_ticks, clk_tck, load):
    wall, cpu, rss = time_line(prefix)
    most = most_in_flight(prefix)
    endpoints, completed = sessions(prefix)
    tck = float(clk_tck)
    scan = scan_cpu(prefix)
    scan_text = (f"{scan[0]:.1f} | {scan[1]:.1f} | {endpoints / scan[1]:.0f}" if scan and scan[1] > 0 else "- | - | -")
    print(f"| {in_flight} | {f'{most[0]} of {most[1]}' if most else '-'} | {rc} | {done_failed(prefix)} "
          f"| {endpoints} ({completed}) | {wall:.1f} | {cpu:.1f} | **{endpoints / cpu:.0f}** | {scan_text} "
          f"| {endpoints / wall:.0f} | {rss // 1024} | {int(server_ticks) / tck:.1f} | {int(dns_ticks) / tck:.2f} | {load} |")


def memory(work, flights):
    points = []
    for n in flights:
        prefix = os.path.join(work, f"census-{n}")
        try:
            _, _, rss = time_line(prefix)
        except (FileNotFoundError, ValueError):
            continue
        most = most_in_flight(prefix)
        if most:
            points.append((most[0], rss, n))
    points.sort()
    print()
    print("| from (most in flight, peak RSS MiB) | to | peak RSS per target in flight KiB |")
    print("|---|---|---:|")
    for (a, ra, na), (b, rb, nb) in zip(points, points[1:]):
        slope = f"{(rb - ra) / (b - a):.0f}" if b > a else "-"
        print(f"| {na}: {a}, {ra // 1024} | {nb}: {b}, {rb // 1024} | {slope} |")


PROCESS = re.compile(r"process: ([0-9.]+) MiB allocated, collections gen0 (\d+) gen1 (\d+) gen2 (\d+), "
                     r"GC pause ([0-9.]+) s, JIT (\d+) methods ([0-9.]+) s, CPU ([0-9.]+) s")


def runtime(work, flights):
    """Allocated bytes and JIT compilations vary by 1-3 % between runs of one build, CPU seconds by up to 13 %: the first two
    show what a change did to the work per endpoint when CPU seconds cannot (README, session 18)."""
    print()
    print("| targets in flight | allocated MiB | **allocated KiB per endpoint** | collections gen0 / gen1 / gen2 | GC pause s "
          "| JIT methods | JIT s | CPU s (runtime's count) |")
    print("|---:|---:|---:|---|---:|---:|---:|---:|")
    for n in flights:
        prefix = os.path.join(work, f"census-{n}")
        try:
            m = PROCESS.search(open(prefix + ".err", errors="replace").read())
        except FileNotFoundError:
            m = None
        if not m:
            print(f"| {n} | - | - | - | - | - | - | - |")
            continue
        endpoints, _ = sessions(prefix)
        mib = float(m.group(1))
        per = f"{mib * 1024 / endpoints:.0f}" if endpoints else "-"
        print(f"| {n} | {mib:.0f} | **{per}** | {m.group(2)} / {m.group(3)} / {m.group(4)} | {float(m.group(5)):.2f} "
              f"| {m.group(6)} | {float(m.group(7)):.2f} | {float(m.group(8)):.1f} |")


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "header":
        header(sys.argv[2], sys.argv[3], sys.argv[4])
        return 0
    if len(sys.argv) == 9 and sys.argv[1] == "census":
        census(*sys.argv[2:])
        return 0
    if len(sys.argv) >= 4 and sys.argv[1] == "memory":
        memory(sys.argv[2], sys.argv[3:])
        return 0
    if len(sys.argv) >= 4 and sys.argv[1] == "runtime":
        runtime(sys.argv[2], sys.argv[3:])
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
