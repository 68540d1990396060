#!/usr/bin/env python3
"""Connections a scanner opened to one server, from a capture of SYN/FIN/RST segments.

    pcapstat.py CAPTURE.pcap SERVER_ADDR SERVER_PORT

Prints JSON {"connections": N, "max_concurrent": M, "first_syn": t, "last_close": t}.
connections = SYNs without ACK sent to SERVER_ADDR:SERVER_PORT (a retransmitted SYN of the same client port
counts once). A connection is open from its SYN until the first FIN or RST in either direction; the maximum
number open at once is the concurrency the server saw. The capture is read back with tcpdump -r, so no
Python packet library is needed.
"""
import json
import re
import subprocess
import sys

LINE = re.compile(r"^(\d+\.\d+) IP6? (\S+)\.(\d+) > (\S+)\.(\d+): Flags \[([^\]]*)\]")


def main():
    pcap, addr, port = sys.argv[1], sys.argv[2], sys.argv[3]
    text = subprocess.run(["tcpdump", "-n", "-tt", "-r", pcap], capture_output=True, text=True).stdout
    seen, open_, events = set(), {}, []
    for line in text.splitlines():
        m = LINE.match(line)
        if not m:
            continue
        t, src, sport, dst, dport, flags = float(m.group(1)), m.group(2), m.group(3), m.group(4), m.group(5), m.group(6)
        if dst == addr and dport == port:
            client = (src, sport)
        elif src == addr and sport == port:
            client = (dst, dport)
        else:
            continue
        if flags == "S" and dst == addr:
            if client in open_:
                continue  # SYN retransmission
            seen.add((client, t))
            open_[client] = t
            events.append((t, 1))
        elif ("F" in flags or "R" in flags) and client in open_:
            del open_[client]
            events.append((t, -1))
    cur = best = 0
    for _, d in sorted(events, key=lambda e: (e[0], e[1])):
        cur += d
        best = max(best, cur)
    times = [t for t, _ in events]
    print(json.dumps({"connections": len(seen), "max_concurrent": best,
                      "first_syn": min(times) if times else None, "last_close": max(times) if times else None}))


if __name__ == "__main__":
    main()
