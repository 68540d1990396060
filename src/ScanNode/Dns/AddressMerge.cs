using System.Net;

namespace XmppScanCluster.ScanNode.Dns;

/// <summary>Combines the A and AAAA halves of an address lookup into one result.</summary>
internal static class AddressMerge
{
    internal static DnsLookup<IPAddress> Merge(string host, DnsLookup<IPAddress> v4, DnsLookup<IPAddress> v6)
    {
        var chain = v4.CnameChain.Count >= v6.CnameChain.Count ? v4.CnameChain : v6.CnameChain;
        if (v4.Status == DnsStatus.Ok || v6.Status == DnsStatus.Ok)
        {
            var records = new List<IPAddress>(v4.Records.Count + v6.Records.Count);
            records.AddRange(v4.Records);
            records.AddRange(v6.Records);
            string? error = IsFailure(v4.Status) ? "A lookup failed: " + v4.Error
                : IsFailure(v6.Status) ? "AAAA lookup failed: " + v6.Error
                : null;
            bool authenticated = !IsFailure(v4.Status) && v4.Authenticated && !IsFailure(v6.Status) && v6.Authenticated;
            // Reused no longer than the shorter-lived half that gave addresses (a negative half carries no TTL here).
            var ttl = v4.Ttl is { } a && v6.Ttl is { } b ? (a < b ? a : b) : v4.Ttl ?? v6.Ttl;
            return new DnsLookup<IPAddress>(DnsStatus.Ok, records, authenticated, chain, error) { Ttl = ttl };
        }

        if (v4.Status == DnsStatus.NoData && v6.Status == DnsStatus.NoData)
        {
            return new DnsLookup<IPAddress>(DnsStatus.NoData, [], v4.Authenticated && v6.Authenticated, chain, 
                $"{Last(v4.CnameChain, host)}: no A or AAAA records");
        }

        // Both failed or were negative: the more telling one wins (NXDOMAIN, then a failure over NoData).
        var worse = v4.Status == DnsStatus.NxDomain ? v4
            : v6.Status == DnsStatus.NxDomain ? v6
            : IsFailure(v4.Status) ? v4
            : v6;
        return worse with { Authenticated = worse.Authenticated && (ReferenceEquals(worse, v4) ? v6 : v4).Authenticated };
    }

    private static string Last(IReadOnlyList<string> chain, string host) => chain.Count > 0 ? chain[^1] : host;

    private static bool IsFailure(DnsStatus status) =>
        status is not (DnsStatus.Ok or DnsStatus.NoData or DnsStatus.NxDomain);
}
