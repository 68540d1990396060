#!/usr/bin/env python3
"""Samples the CPU and RSS of a process tree every 0.2 s until its root exits (run.sh runs it beside each census).

    sampler.py ROOT_PID OUT

Writes one line per sample to OUT: UTC seconds of the day (the node log's clock), CPU seconds (user + system) and
RSS KiB summed over ROOT_PID and its descendants. report.py takes the CPU between the feeder's start and the census's
end from it (the scan without the process start and the planning).
"""
import os
import sys
import time
from datetime import datetime, timezone

TCK = os.sysconf("SC_CLK_TCK")


def stats():
    """pid -> (ppid, cpu ticks, rss pages) of every process."""
    out = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                text = f.read()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2:].split()  # after "pid (comm) "
        out[int(name)] = (int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[21]))
    return out


def tree(root, procs):
    children = {}
    for pid, (ppid, _, _) in procs.items():
        children.setdefault(ppid, []).append(pid)
    seen, todo = [], [root]
    while todo:
        pid = todo.pop()
        if pid in procs:
            seen.append(pid)
            todo.extend(children.get(pid, []))
    return seen


def main():
    root, out = int(sys.argv[1]), sys.argv[2]
    page_kib = os.sysconf("SC_PAGE_SIZE") // 1024
    with open(out, "w") as f:
        while os.path.exists(f"/proc/{root}"):
            procs = stats()
            pids = tree(root, procs)
            now = datetime.now(timezone.utc)
            day = now.hour * 3600 + now.minute * 60 + now.second + now.microsecond / 1e6
            cpu = sum(procs[p][1] for p in pids) / TCK
            rss = sum(procs[p][2] for p in pids) * page_kib
            f.write(f"{day:.3f} {cpu:.2f} {rss}\n")
            f.flush()
            time.sleep(0.2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
