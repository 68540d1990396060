using XmppScanCluster.ScanNode.Certificates;
using XmppScanCluster.ScanNode.Dns;
using XmppScanCluster.Shared.Certificates;
using XmppScanCluster.Shared.Dns;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Scanning;

/// <summary>
/// DANE for one endpoint (RFC 7673 §3): TLSA at <c>_port._tcp.&lt;SRV target&gt;</c> (the service domain itself for the
/// address fallback), matched against the presented chain. The TLSA data counts only when both the SRV answer that
/// named the target and the TLSA answer are DNSSEC-secure; DNSSEC status is the resolver's AD bit (this stub does not
/// validate). Endpoints named by the operator (<c>--connect</c>) have no SRV target and get no DANE.
/// </summary>
public sealed class DaneLookup(IDnsResolver dns, TrustStore anchors, TimeProvider? clock = null)
{
    private const string DnssecSource = "resolver AD bit";
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>The TLSA owner name for an endpoint: <c>_5222._tcp.xmpp.example.org</c>.</summary>
    public static string TlsaName(XmppEndpoint endpoint) =>
        $"_{endpoint.Port}._tcp.{endpoint.Target.TrimEnd('.').ToLowerInvariant()}";

    /// <summary>Looks up and matches; null for endpoints DANE does not apply to.</summary>
    public async Task<DaneFacts?> CheckAsync(XmppEndpoint endpoint, DnssecStatus srvDnssec, IReadOnlyList<byte[]> presentedChain,
        CancellationToken cancellationToken)
    {
        if (endpoint.Source == EndpointSource.Explicit)
        {
            return null;
        }

        var name = TlsaName(endpoint);
        var lookup = await dns.LookupTlsaAsync(name, cancellationToken).ConfigureAwait(false);
        return Judge(name, lookup, srvDnssec, presentedChain, anchors, _clock.GetUtcNow());
    }

    /// <summary>The pure part: a lookup result and the chain in, the facts out.</summary>
    internal static DaneFacts Judge(string name, DnsLookup<TlsaRecord> lookup, DnssecStatus srvDnssec, IReadOnlyList<byte[]> chain,
        TrustStore anchors, DateTimeOffset now)
    {
        var tlsaDnssec = lookup.Dnssec;
        var lookupName = lookup.Status.ToString().ToLowerInvariant();
        if (lookup.Status is not (DnsStatus.Ok or DnsStatus.NoData or DnsStatus.NxDomain))
        {
            var verdict = tlsaDnssec == DnssecStatus.Bogus
                ? new DaneVerdict(DaneResult.NotSecure, [], "the resolver failed DNSSEC validation of the TLSA answer (bogus): a client must not connect")
                : new DaneVerdict(DaneResult.NoRecords, [], $"TLSA lookup failed: {lookup.Error ?? lookupName}");
            return new DaneFacts(name, lookupName, srvDnssec, tlsaDnssec, DnssecSource, [], verdict, false, lookup.Error ?? lookupName);
        }

        var records = lookup.Records;
        var matched = DaneMatcher.Match(records, chain, tlsaDnssec, anchors, now);
        if (tlsaDnssec == DnssecStatus.Secure && srvDnssec != DnssecStatus.Secure && records.Count > 0)
        {
            // RFC 7673 §3: TLSA records at a target an insecure SRV answer named must not be used either.
            var would = matched.MatchedRecords.Count > 0 ? $"would have matched {string.Join(", ", matched.MatchedRecords)}" : "would not have matched";
            matched = new DaneVerdict(DaneResult.NotSecure, matched.MatchedRecords,
                $"the SRV answer naming the target is {srvDnssec.ToString().ToLowerInvariant()}, not DNSSEC-secure, so its TLSA records must not be used (RFC 7673 §3); the data {would}");
        }

        var usable = tlsaDnssec == DnssecStatus.Secure && srvDnssec == DnssecStatus.Secure
            && matched.Result is DaneResult.Match or DaneResult.Mismatch;
        return new DaneFacts(name, lookupName, srvDnssec, tlsaDnssec, DnssecSource, records, matched, usable, null);
    }
}
