using System.Net;
using XmppScanCluster.Shared.Dns;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Dns;

/// <summary>
/// Finds every endpoint of an XMPP service (RFC 6120 §3.2, XEP-0368): the <c>_xmpp-*</c> (STARTTLS) and
/// <c>_xmpps-*</c> (direct TLS) SRV sets merged, every target resolved to all its IPv4 and IPv6 addresses, each
/// address its own endpoint. Without any SRV record, the domain's own addresses on the default port.
/// DNS failures are collected as problems; discovery goes on with what it has.
/// </summary>
public sealed class EndpointDiscovery
{
    /// <summary>SRV records used per service name; more is a misconfiguration or an attack on the scanner.</summary>
    public const int MaxSrvRecordsPerName = 32;

    private readonly IDnsResolver _dns;

    public EndpointDiscovery(IDnsResolver dns)
    {
        ArgumentNullException.ThrowIfNull(dns);
        _dns = dns;
    }

    /// <summary>Discovers the endpoints of <paramref name="domain"/> for <paramref name="mode"/>.</summary>
    public async Task<DiscoveryResult> DiscoverAsync(string domain, XmppMode mode, CancellationToken ct)
    {
        if (!DomainName.TryNormalize(domain, out string name, out string? invalid))
        {
            return new DiscoveryResult(domain ?? "", mode, [], [], false, DnssecStatus.Unknown,
                [new ProbeFailure(FailureKind.InvalidInput, invalid!)]);
        }

        string service = mode == XmppMode.C2S ? "client" : "server";
        string startTlsName = $"_xmpp-{service}._tcp.{name}";
        string directTlsName = $"_xmpps-{service}._tcp.{name}";
        var startTlsTask = _dns.LookupSrvAsync(startTlsName, ct);
        var directTlsTask = _dns.LookupSrvAsync(directTlsName, ct);
        var startTls = await startTlsTask.ConfigureAwait(false);
        var directTls = await directTlsTask.ConfigureAwait(false);

        var problems = new List<ProbeFailure>();
        var sources = new List<(SrvRecord Record, TlsTransport Transport)>();
        bool disabled = Collect(startTls, startTlsName, TlsTransport.StartTls, sources, problems);
        Collect(directTls, directTlsName, TlsTransport.DirectTls, sources, problems);

        var srvRecords = startTls.Records.Concat(directTls.Records).ToList();
        srvRecords.Sort(EndpointOrder.Compare);

        var endpoints = new List<XmppEndpoint>();
        var targets = sources.Select(s => s.Record.Target).Distinct(StringComparer.Ordinal).ToList();
        var lookups = await Task.WhenAll(targets.Select(t => _dns.LookupAddressesAsync(t, ct))).ConfigureAwait(false);
        var addressesOf = new Dictionary<string, DnsLookup<IPAddress>>(StringComparer.Ordinal);
        for (int i = 0; i < targets.Count; i++)
        {
            addressesOf[targets[i]] = lookups[i];
            if (lookups[i].Error is { } error)
            {
                problems.Add(new ProbeFailure(FailureKind.DnsFailure, $"SRV target {targets[i]}: {error}"));
            }
        }

        foreach (var (record, transport) in sources)
        {
            foreach (var address in addressesOf[record.Target].Records)
            {
                endpoints.Add(new XmppEndpoint(name, mode, transport, record.Target, address, record.Port,
                    record.Priority, record.Weight, EndpointSource.Srv));
            }
        }

        // RFC 6120 §3.2.2: no SRV at all → the domain itself on the default port, STARTTLS only (XEP-0368 has
        // no fallback port). XEP-0368 §5: any _xmpps-* record, even ".", shows SRV is in use → no fallback.
        DnsLookup<IPAddress>? own = null;
        if (IsNegative(startTls.Status) && directTls.Status != DnsStatus.Ok)
        {
            own = await _dns.LookupAddressesAsync(name, ct).ConfigureAwait(false);
            if (own.Error is { } error)
            {
                problems.Add(new ProbeFailure(FailureKind.DnsFailure, $"no SRV records; address fallback for {name}: {error}"));
            }

            foreach (var address in own.Records)
            {
                endpoints.Add(new XmppEndpoint(name, mode, TlsTransport.StartTls, name, address, mode.DefaultPort(),
                    0, 0, EndpointSource.AddressFallback));
            }
        }

        endpoints.Sort(EndpointOrder.Compare);
        var unique = new List<XmppEndpoint>(endpoints.Count);
        var seen = new HashSet<(TlsTransport, string, IPAddress, int)>();
        foreach (var endpoint in endpoints)
        {
            if (seen.Add((endpoint.Transport, endpoint.Target, endpoint.Address, endpoint.Port)))
            {
                unique.Add(endpoint);
            }
        }

        var answers = new List<(DnsStatus Status, TimeSpan? Ttl)> { (startTls.Status, startTls.Ttl), (directTls.Status, directTls.Ttl) };
        answers.AddRange(lookups.Select(l => (l.Status, l.Ttl)));
        if (own is not null)
        {
            answers.Add((own.Status, own.Ttl));
        }

        return new DiscoveryResult(name, mode, unique, srvRecords, disabled, CombineDnssec(startTls, directTls), problems)
        {
            ValidFor = ValidFor(answers),
        };
    }

    /// <summary>The shortest TTL of the answers with records; null when a lookup failed or none carried one.</summary>
    private static TimeSpan? ValidFor(List<(DnsStatus Status, TimeSpan? Ttl)> answers)
    {
        TimeSpan? shortest = null;
        foreach (var (status, ttl) in answers)
        {
            if (status is not (DnsStatus.Ok or DnsStatus.NoData or DnsStatus.NxDomain))
            {
                return null;
            }

            if (ttl is { } t && (shortest is null || t < shortest))
            {
                shortest = t;
            }
        }

        return shortest;
    }

    /// <summary>
    /// Adds the usable records of one SRV answer to <paramref name="sources"/>; reports failures. True when the set
    /// is the single "." record that says the service is not offered (RFC 2782).
    /// </summary>
    private static bool Collect(
        DnsLookup<SrvRecord> lookup, string srvName, TlsTransport transport,
        List<(SrvRecord, TlsTransport)> sources, List<ProbeFailure> problems)
    {
        if (lookup.Status != DnsStatus.Ok)
        {
            if (!IsNegative(lookup.Status))
            {
                // The error names the query and says what happened in words (REFUSED, SERVFAIL, no answer…).
                problems.Add(new ProbeFailure(FailureKind.DnsFailure, lookup.Error ?? $"SRV {srvName}: no usable answer"));
            }

            return false;
        }

        if (lookup.Records.Count == 1 && lookup.Records[0].IsServiceDisabled)
        {
            return true;
        }

        int used = 0;
        foreach (var record in lookup.Records)
        {
            if (record.IsServiceDisabled)
            {
                // RFC 2782: "." is only meaningful as the only record; among others it names no host.
                problems.Add(new ProbeFailure(FailureKind.DnsFailure, $"SRV {srvName}: target \".\" among other records ignored"));
                continue;
            }

            if (record.Port == 0)
            {
                problems.Add(new ProbeFailure(FailureKind.DnsFailure, $"SRV {srvName}: target {record.Target} with port 0 ignored"));
                continue;
            }

            if (++used > MaxSrvRecordsPerName)
            {
                problems.Add(new ProbeFailure(FailureKind.LimitExceeded,
                    $"SRV {srvName}: {lookup.Records.Count} records, only the first {MaxSrvRecordsPerName} used"));
                break;
            }

            sources.Add((record, transport));
        }

        return false;
    }

    private static bool IsNegative(DnsStatus status) => status is DnsStatus.NoData or DnsStatus.NxDomain;

    /// <summary>Bogus if either answer is; Secure only if every answer that came is; Unknown if none came.</summary>
    private static DnssecStatus CombineDnssec(DnsLookup<SrvRecord> a, DnsLookup<SrvRecord> b)
    {
        var states = new[] { a.Dnssec, b.Dnssec }.Where(s => s != DnssecStatus.Unknown).ToList();
        if (states.Contains(DnssecStatus.Bogus))
        {
            return DnssecStatus.Bogus;
        }

        if (states.Count == 0)
        {
            return DnssecStatus.Unknown;
        }

        return states.All(s => s == DnssecStatus.Secure) ? DnssecStatus.Secure : DnssecStatus.Insecure;
    }
}
