#!/usr/bin/env python3
"""Where a census's CPU went, from `perf script` of a `run.sh --perf` recording (needs the process's /tmp/perf-PID.map,
which DOTNET_PerfMapEnabled=1 writes).

    perf script -i WORK/census-N.perf.data | profile.py [--top 40]

Prints the share of samples whose stack contains each area (inclusive: a sample can count in several rows; "first
match" counts each sample once, in the first row whose pattern its stack contains, leaf first), then the top leaf
frames. Areas are substrings of frame names or library paths.
"""
import collections
import re
import sys

AREAS = [
    ("JIT (libclrjit)", ["libclrjit"]),
    ("GC", ["WKS::gc_heap", "SVR::gc_heap", "GCHeap::", "gc_heap::"]),
    ("certificate assessment (CertificateAssessor: parse, trust, identity)", ["CertificateAssessor"]),
    ("BouncyCastle", ["Org.BouncyCastle"]),
    ("SslStream handshake", ["System.Net.Security.SslStream", "SslStreamPal", "Interop+OpenSsl"]),
    ("X509 (.NET chain, certificates)", ["X509Chain", "X509Certificate", "OpenSslX509"]),
    ("OpenSSL (libssl, libcrypto)", ["libssl", "libcrypto"]),
    ("XMPP preamble and stream (Xmpp, XmlReader)", ["ScanNode.Xmpp", "System.Xml"]),
    ("session probe (XmppTlsSessionProbe, PostTlsStream)", ["XmppTlsSessionProbe", "PostTlsStream"]),
    ("DNS discovery (DnsClient, EndpointDiscovery)", ["DnsClient", "EndpointDiscovery", "ScanNode.Dns"]),
    ("target events: JSON (System.Text.Json)", ["System.Text.Json"]),
    ("Akka.Persistence.Sql / linq2db", ["Akka.Persistence.Sql", "LinqToDB"]),
    ("SQLite (Microsoft.Data.Sqlite, e_sqlite3)", ["Microsoft.Data.Sqlite", "libe_sqlite3", "SQLitePCL"]),
    ("census store (Coordinator.Store)", ["Coordinator.Store"]),
    ("address shard entity, slots, feeder", ["AddressShardEntity", "TargetSlots", "RegionFeeder"]),
    ("target actor and state machine", ["TargetActor", "TargetStateMachine", "DomainReportProjection"]),
    ("Akka (actors, remoting, sharding, persistence core)", ["Akka."]),
    ("sockets (System.Net.Sockets)", ["System.Net.Sockets"]),
    ("kernel", ["[kernel.kallsyms]"]),
]


def samples(stream):
    """Yields (command, [frames leaf first]) per sample of `perf script` output."""
    command, frames = None, []
    for line in stream:
        if not line.strip():
            if command is not None:
                yield command, frames
            command, frames = None, []
        elif not line.startswith((" ", "\t")):
            command = line.split()[0]
        else:
            parts = line.strip().split(None, 1)
            frames.append(parts[1] if len(parts) > 1 else parts[0])
    if command is not None:
        yield command, frames


def main():
    top = int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 40
    total = 0
    inclusive, first, leaves, threads = collections.Counter(), collections.Counter(), collections.Counter(), collections.Counter()
    for command, frames in samples(sys.stdin):
        total += 1
        threads[command] += 1
        text = "\n".join(frames)
        matched = None
        for name, patterns in AREAS:
            if any(p in text for p in patterns):
                inclusive[name] += 1
        for frame in frames:  # leaf first: the first area a frame of the stack belongs to, from the leaf up
            matched = next((name for name, patterns in AREAS if any(p in frame for p in patterns)), None)
            if matched:
                break
        first[matched or "other"] += 1
        if frames:
            leaves[re.sub(r"\+0x[0-9a-f]+", "", frames[0])[:140]] += 1
    if total == 0:
        print("no samples", file=sys.stderr)
        return 1
    print(f"{total} samples")
    print()
    print("| area | inclusive | first match (leaf up) |")
    print("|---|---:|---:|")
    for name, _ in AREAS + [("other", [])]:
        print(f"| {name} | {100 * inclusive[name] / total:.1f} % | {100 * first[name] / total:.1f} % |")
    print()
    print("| thread | share |")
    print("|---|---:|")
    for name, n in threads.most_common(12):
        print(f"| {name} | {100 * n / total:.1f} % |")
    print()
    print("| leaf frame | share |")
    print("|---|---:|")
    for name, n in leaves.most_common(top):
        print(f"| `{name}` | {100 * n / total:.1f} % |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
