namespace XmppScanCluster.ScanNode.Dns;

/// <summary>
/// Turns an accepted response into a <see cref="DnsLookup{T}"/>: maps the RCODE, follows the CNAME chain
/// inside the answer section (RFC 1034 §3.6.2, bounded) and picks the records of the asked type at its end.
/// Records owned by names off the chain are ignored.
/// </summary>
internal static class DnsAnswerReader
{
    /// <summary>CNAMEs followed per answer before giving up.</summary>
    internal const int MaxCnameHops = 8;

    internal static DnsLookup<T> Read<T>(
        DnsQueryOutcome outcome, string name, DnsRecordType type, Func<DnsResourceRecord, T?> convert, int maxCnameHops = MaxCnameHops)
        where T : class
    {
        var message = outcome.Message;
        if (message is null)
        {
            return DnsLookup<T>.Failure(outcome.FailureStatus, outcome.Error ?? $"{name} {type}: no answer");
        }

        bool authenticated = message.IsAuthenticated;
        switch (message.Rcode)
        {
            case DnsFlags.RcodeNoError or DnsFlags.RcodeNxDomain:
                break;
            case DnsFlags.RcodeRefused:
                return DnsLookup<T>.Failure(DnsStatus.Refused, outcome.Error ?? $"{name} {type}: REFUSED");
            default:
                return DnsLookup<T>.Failure(DnsStatus.ServerFailure, outcome.Error ?? $"{name} {type}: {DnsQueryEngine.RcodeName(message.Rcode)}");
        }

        var chain = new List<string>();
        string current = name;
        while (true)
        {
            var records = new List<T>();
            string? cnameTarget = null;
            foreach (var record in message.Answers)
            {
                if (record.Name != current)
                {
                    continue;
                }

                if (record.Type == (ushort)type && convert(record) is { } value)
                {
                    records.Add(value);
                }
                else if (record.Type == (ushort)DnsRecordType.CNAME && record.Data is NameRData cname)
                {
                    cnameTarget ??= cname.Name;
                }
            }

            if (records.Count > 0)
            {
                return new DnsLookup<T>(DnsStatus.Ok, records, authenticated, chain, null);
            }

            if (cnameTarget is null)
            {
                break;
            }

            if (chain.Count >= maxCnameHops || cnameTarget == name || chain.Contains(cnameTarget))
            {
                return new DnsLookup<T>(DnsStatus.Malformed, [], authenticated, chain,
                    $"{name} {type}: CNAME chain loops or is longer than {MaxCnameHops}");
            }

            chain.Add(cnameTarget);
            current = cnameTarget;
        }

        return message.Rcode == DnsFlags.RcodeNxDomain
            ? new DnsLookup<T>(DnsStatus.NxDomain, [], authenticated, chain, $"{current}: no such domain (NXDOMAIN)")
            : new DnsLookup<T>(DnsStatus.NoData, [], authenticated, chain, $"{current}: no {type} records");
    }

    /// <summary>
    /// How long the answer may be cached: the smallest TTL of the answer section, or for a negative answer
    /// min(SOA TTL, SOA MINIMUM) (RFC 2308 §5); zero (no caching) for failures.
    /// </summary>
    internal static TimeSpan CacheTime(DnsQueryOutcome outcome)
    {
        var message = outcome.Message;
        if (message is null || message.Rcode is not (DnsFlags.RcodeNoError or DnsFlags.RcodeNxDomain))
        {
            return TimeSpan.Zero;
        }

        uint? ttl = null;
        foreach (var record in message.Answers)
        {
            ttl = ttl is null ? record.Ttl : Math.Min(ttl.Value, record.Ttl);
        }

        if (ttl is null)
        {
            foreach (var record in message.Authority)
            {
                if (record.Data is SoaRData soa)
                {
                    ttl = Math.Min(record.Ttl, soa.Minimum);
                }
            }
        }

        return TimeSpan.FromSeconds(Math.Min(ttl ?? 0, 86_400));
    }
}
