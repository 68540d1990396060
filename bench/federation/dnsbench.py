#!/usr/bin/env python3
"""What one DNS question costs the federation's name server, at several federation sizes (issue 14).

    dnsbench.py OUT_DIR ADDRESS [--domains 20,10000] [--queries 10000] [--servers knot,dnsmasq]

For each size: federation.py's plan and zone (N domains on N / 8 addresses), then each server in turn on
ADDRESS:5353 serving that zone — knotd as up.sh starts it (its knot.conf), and dnsmasq as bench/federation ran it
before (one srv-host per SRV record, one host-record per A record, translated from the same zone) for comparison —
and measures: **load s**, from the server's start until it answers the last domain's SRV question; **CPU per SRV
question**, the server's run time (the sum of /proc/PID/task/*/schedstat, nanoseconds) over QUERIES SRV questions
for random domains and services, asked one at a time over UDP; and that each answer names the host the plan says.
Prints one markdown row per server and size. Loopback only (ADDRESS must be in 127.0.0.0/8).
"""
import json
import os
import random
import socket
import struct
import subprocess
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
import federation  # noqa: E402

SERVICES = list(federation.SRV)


def query(name, qtype, qid):
    """A DNS query (RFC 1035 section 4.1): header with RD, one question of class IN."""
    labels = b"".join(bytes([len(p)]) + p.encode() for p in name.rstrip(".").split(".")) + b"\0"
    return struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + labels + struct.pack("!HH", qtype, 1)


def srv_target(reply):
    """The first answer's SRV target in a reply to one question, or None (no answer, or not SRV)."""
    if len(reply) < 12 or struct.unpack("!H", reply[6:8])[0] == 0:
        return None
    pos = 12
    while reply[pos] != 0:  # the question's name (uncompressed: we wrote it)
        pos += 1 + reply[pos]
    pos += 5
    pos = skip_name(reply, pos)
    rtype, _, _, _ = struct.unpack("!HHIH", reply[pos:pos + 10])
    if rtype != 33:
        return None
    return read_name(reply, pos + 10 + 6)


def skip_name(msg, pos):
    while True:
        n = msg[pos]
        if n >= 0xC0:
            return pos + 2
        if n == 0:
            return pos + 1
        pos += 1 + n


def read_name(msg, pos):
    labels = []
    for _ in range(128):
        n = msg[pos]
        if n >= 0xC0:
            pos = ((n & 0x3F) << 8) | msg[pos + 1]
            continue
        if n == 0:
            return ".".join(labels)
        labels.append(msg[pos + 1:pos + 1 + n].decode())
        pos += 1 + n
    return None


def cpu_ns(pid):
    total = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/schedstat") as f:
            total += int(f.read().split()[0])
    return total


def dnsmasq_conf(zone_file, conf_file):
    """The zone as dnsmasq took it before: host-record per A, srv-host per SRV (names made absolute)."""
    with open(zone_file) as zone, open(conf_file, "w") as conf:
        for line in zone:
            f = line.split()
            if len(f) == 3 and f[1] == "A" and f[0] != "ns":
                conf.write(f"host-record={f[0]}.{federation.ZONE},{f[2]}\n")
            elif len(f) == 6 and f[1] == "SRV":
                conf.write(f"srv-host={f[0]}.{federation.ZONE},{f[5]}.{federation.ZONE},{f[4]},{f[2]},{f[3]}\n")


def start(server, work, address):
    log = open(os.path.join(work, f"{server}.log"), "w")
    if server == "knot":
        store = os.path.join(work, "knot")
        os.makedirs(store, exist_ok=True)
        with open(os.path.join(work, "knot.conf"), "w") as conf:
            conf.write(f'server:\n    rundir: "{store}"\n    listen: {address}@5353\n    udp-workers: 1\n'
                       f'    tcp-workers: 1\n    background-workers: 1\ndatabase:\n    storage: "{store}"\n'
                       f'log:\n  - target: stderr\n    any: warning\nzone:\n  - domain: {federation.ZONE}\n'
                       f'    file: "{work}/{federation.ZONE}.zone"\n    journal-content: none\n    zonefile-sync: -1\n')
        cmd = ["knotd", "--config", os.path.join(work, "knot.conf")]
    else:
        dnsmasq_conf(os.path.join(work, f"{federation.ZONE}.zone"), os.path.join(work, "dnsmasq.conf"))
        cmd = ["dnsmasq", "--no-daemon", f"--conf-file={work}/dnsmasq.conf", "--no-resolv", "--no-hosts",
               "--bind-interfaces", f"--listen-address={address}", "--port=5353", f"--local=/{federation.ZONE}/"]
    return subprocess.Popen(cmd, stdout=log, stderr=log)


def ask(sock, address, name, qid):
    sock.sendto(query(name, 33, qid), (address, 5353))
    while True:
        reply, _ = sock.recvfrom(4096)
        if struct.unpack("!H", reply[:2])[0] == qid:
            return reply


def measure(server, work, address, plan, queries):
    hosts = {d: s["host"] for s in plan["servers"] for d in s["domains"]}
    domains = sorted(hosts)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.settimeout(0.05)  # while it loads: ask again soon
    started = time.monotonic()
    proc = start(server, work, address)
    try:
        last, qid = domains[-1], 0
        while True:
            if proc.poll() is not None or time.monotonic() - started > 600:
                raise SystemExit(f"dnsbench: {server} did not answer (see {work}/{server}.log)")
            qid = (qid + 1) & 0xFFFF
            try:
                if srv_target(ask(sock, address, f"_xmpp-client._tcp.{last}", qid)) == hosts[last]:
                    break
            except socket.timeout:
                pass
            time.sleep(0.02)
        load = time.monotonic() - started
        sock.settimeout(2)
        rnd = random.Random(14)
        wrong, before = 0, cpu_ns(proc.pid)
        for i in range(queries):
            d = rnd.choice(domains)
            qid = (qid + 1) & 0xFFFF
            if srv_target(ask(sock, address, f"{rnd.choice(SERVICES)}._tcp.{d}", qid)) != hosts[d]:
                wrong += 1
        cpu = cpu_ns(proc.pid) - before
        return load, cpu, wrong
    finally:
        proc.terminate()
        proc.wait(10)


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    out, address = sys.argv[1], sys.argv[2]
    opts = dict(zip(sys.argv[3::2], sys.argv[4::2]))
    sizes = [int(n) for n in opts.get("--domains", "20,10000").split(",")]
    queries = int(opts.get("--queries", "10000"))
    servers = opts.get("--servers", "knot,dnsmasq").split(",")
    if not address.startswith("127."):
        print("dnsbench: ADDRESS must be a loopback address (127.0.0.0/8)", file=sys.stderr)
        return 2
    print("| DNS server | domains | zone records | load s | SRV questions | CPU ms | CPU µs per SRV question | wrong answers | load |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for n in sizes:
        work = os.path.join(out, f"dns-{n}")
        os.makedirs(work, exist_ok=True)
        prefix = address.rsplit(".", 2)[0]
        plan = federation.plan(n, max(1, n // 8), prefix, 14, 1.1, 100)
        with open(os.path.join(work, "plan.json"), "w") as f:
            json.dump(plan, f)
        federation.dns(os.path.join(work, "plan.json"), work)
        records = sum(1 for _ in open(os.path.join(work, f"{federation.ZONE}.zone"))) - 2
        for server in servers:
            uptime = open("/proc/loadavg").read().split()[0]
            load, cpu, wrong = measure(server, work, address, plan, queries)
            print(f"| {server} | {n} | {records} | {load:.2f} | {queries} | {cpu / 1e6:.0f} | {cpu / 1e3 / queries:.1f} "
                  f"| {wrong} | {uptime}-{open('/proc/loadavg').read().split()[0]} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
