#!/usr/bin/env python3
"""A userspace Ethernet bridge between two interfaces that delays every frame by a fixed time.

The kernel here has no sch_netem (TESTBED-NOTES), so bench/lib/latency.sh and deploy/netlab/netlab.sh put this
bridge in a namespace of its own between two veth pairs: scanner namespace <-> [a | bridge | b] <-> server (or
root) namespace. Each frame
read on one side is written to the other side DELAY_MS later, in both directions, so the round trip is
2 x DELAY_MS plus a few tenths of a millisecond of Python.

Frames are read with AF_PACKET raw sockets. The veth ends must have TSO/GSO/GRO and checksum offload
switched off (latency.sh does it with ethtool): otherwise the kernel hands over 64 KiB super-frames and
frames whose TCP checksum is still only partial, which the receiving side would drop after re-injection.

netlab.sh cuts a link by setting one of the two interfaces down: while it is down, reads there see nothing and
writes to it fail (counted as dropped), so every frame is lost in both directions, as with netem loss 100%. The
kernel reports the down event once on the socket as ENETDOWN; that is not an error of the bridge.

Usage: delaybridge.py IFACE_A IFACE_B DELAY_MS [READY_FILE]
READY_FILE is created once both sockets are bound, so the caller can wait for it.
SIGTERM/SIGINT end it; it prints the frame counts to stderr.
"""
import collections
import os
import select
import signal
import socket
import sys
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4
PACKET_IGNORE_OUTGOING = 23  # Linux >= 4.20: do not deliver our own transmitted frames back to us
SOL_PACKET = 263
MAX_FRAME = 65536


def open_raw(ifname):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
    try:
        s.setsockopt(SOL_PACKET, PACKET_IGNORE_OUTGOING, 1)
    except OSError:
        pass  # older kernel: the pkttype check below still skips them
    s.bind((ifname, 0))
    s.setblocking(False)
    return s


def main():
    if len(sys.argv) not in (4, 5):
        print(__doc__, file=sys.stderr)
        return 2
    a_name, b_name, delay_ms = sys.argv[1], sys.argv[2], float(sys.argv[3])
    delay = delay_ms / 1000.0
    a, b = open_raw(a_name), open_raw(b_name)
    other = {a: b, b: a}
    # The delay is the same for every frame, so a FIFO per direction is already in due order.
    queues = {a: collections.deque(), b: collections.deque()}
    counts = {a_name: 0, b_name: 0}
    dropped = 0
    running = True

    def stop(*_):
        nonlocal running
        running = False

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if len(sys.argv) == 5:
        with open(sys.argv[4], "w") as f:
            f.write(f"{os.getpid()}\n")

    while running:
        now = time.monotonic()
        due = [q[0][0] for q in queues.values() if q]
        timeout = max(0.0, min(due) - now) if due else 0.5
        try:
            readable, _, _ = select.select([a, b], [], [], timeout)
        except InterruptedError:
            continue
        now = time.monotonic()
        for s in readable:
            while True:
                try:
                    frame, addr = s.recvfrom(MAX_FRAME)
                except BlockingIOError:
                    break
                except OSError:
                    break  # ENETDOWN once after the interface went down (a cut); the socket stays bound
                if addr[2] == PACKET_OUTGOING:
                    continue
                # Queued for the OTHER interface: what arrives on a leaves through b.
                queues[other[s]].append((now + delay, frame))
        now = time.monotonic()
        for out, q in queues.items():
            while q and q[0][0] <= now:
                _, frame = q.popleft()
                try:
                    out.send(frame)
                    counts[out.getsockname()[0]] += 1
                except OSError:
                    dropped += 1
    print(f"delaybridge: sent {counts}, dropped {dropped}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
