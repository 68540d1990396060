using System.Collections.Concurrent;

namespace XmppScanCluster.ScanNode.Certificates;

/// <summary>
/// Certificates parsed in this process, by the SHA-256 of their DER: a parse is a pure function of the bytes, so the same
/// DER gives the same <see cref="ParsedCertificate"/> instance — and with it that instance's cache of verified issuers
/// (<see cref="ParsedCertificate.IsSignedBy"/>). Servers present the same chain again and again (a hosting server's one
/// leaf for every domain and port it serves, a few intermediates for everyone); verifying a leaf's RSA signature with
/// BouncyCastle on every session was 5.8 % of a depth-session census's CPU and parsing its chain twice per session
/// (facts, then trust) 2.9 % (bench/depth-session, issue 14). Bounded: at <see cref="Capacity"/> entries it is emptied
/// and fills again (the entries are immutable; their verified-issuer caches are thread-safe).
/// </summary>
internal static class ParsedCertificates
{
    /// <summary>Certificates kept (a parsed certificate is a few KiB).</summary>
    internal const int Capacity = 1024;

    private static readonly ConcurrentDictionary<string, ParsedCertificate> Cache = new(StringComparer.Ordinal);

    public static bool TryGet(string sha256, out ParsedCertificate? parsed) => Cache.TryGetValue(sha256, out parsed);

    public static void Add(ParsedCertificate parsed)
    {
        if (Cache.Count >= Capacity)
        {
            Cache.Clear();
        }

        Cache.TryAdd(parsed.Sha256, parsed);
    }
}
