using XmppScanCluster.Shared.Dns;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.ScanNode.Dns;

/// <summary>Everything endpoint discovery learned about one service domain.</summary>
/// <param name="Domain">The service domain in A-label form (or the input as typed when it was invalid).</param>
/// <param name="Mode">c2s or s2s.</param>
/// <param name="Endpoints">One entry per (SRV target or fallback host, address, port, transport), deduplicated, in
/// the order of <see cref="EndpointOrder"/>.</param>
/// <param name="SrvRecords">All SRV records of both services (<c>_xmpp-*</c>, <c>_xmpps-*</c>), same order.</param>
/// <param name="ServiceDisabled">The <c>_xmpp-*</c> SRV set is a single record with target "." (RFC 2782, RFC 6120 §3.2.1).</param>
/// <param name="SrvDnssec">Combined DNSSEC status of the two SRV answers.</param>
/// <param name="Problems">DNS failures met on the way; discovery continued past each.</param>
public sealed record DiscoveryResult(
    string Domain,
    XmppMode Mode,
    IReadOnlyList<XmppEndpoint> Endpoints,
    IReadOnlyList<SrvRecord> SrvRecords,
    bool ServiceDisabled,
    DnssecStatus SrvDnssec,
    IReadOnlyList<ProbeFailure> Problems)
{
    /// <summary>How long the result may be reused: the shortest TTL of the answers that gave records (SRV sets, the
    /// addresses of each SRV target or of the fallback host). Null when it must not be: a lookup failed, or no answer
    /// carried a TTL (all negative). A negative answer (no <c>_xmpps-*</c> set, no AAAA) carries no TTL here and is kept
    /// as long as the positive ones.</summary>
    public TimeSpan? ValidFor { get; init; }

    /// <summary>What DNS said, as the discover step records it (and planning keeps it in the census store).</summary>
    public DnsReport Report() =>
        new(SrvRecords, ServiceDisabled, Endpoints.Any(e => e.Source == EndpointSource.AddressFallback), SrvDnssec, Problems);
}
