using System.Text;
using DnsClient;
using Lib = DnsClient.Protocol;

namespace XmppScanCluster.ScanNode.Dns;

/// <summary>
/// Turns a DnsClient response into a <see cref="DnsLookup{T}"/>: maps the RCODE, follows the CNAME chain inside
/// the answer section (RFC 1034 §3.6.2, bounded) and picks the records of the asked type at its end. Records owned
/// by names off the chain are ignored (RFC 5452 §9.1: only what answers the question counts).
/// </summary>
internal static class DnsAnswerReader
{
    /// <summary>CNAMEs followed per answer before giving up.</summary>
    internal const int MaxCnameHops = 8;

    internal static DnsLookup<T> Read<T>(
        IDnsQueryResponse response, string name, QueryType type, Func<Lib.DnsResourceRecord, T?> convert, int maxCnameHops)
        where T : class
    {
        bool authenticated = response.Header.IsAuthenticData;
        string from = $"from {response.NameServer}";
        switch (response.Header.ResponseCode)
        {
            case DnsHeaderResponseCode.NoError or DnsHeaderResponseCode.NotExistentDomain:
                break;
            case DnsHeaderResponseCode.Refused:
                return DnsLookup<T>.Failure(DnsStatus.Refused, $"{name} {type}: REFUSED {from}");
            default:
                return DnsLookup<T>.Failure(DnsStatus.ServerFailure, $"{name} {type}: {RcodeName(response.Header.ResponseCode)} {from}");
        }

        var chain = new List<string>();
        string current = name;
        var ttl = int.MaxValue;
        while (true)
        {
            var records = new List<T>();
            string? cnameTarget = null;
            var recordsTtl = int.MaxValue;
            foreach (var record in response.Answers)
            {
                if (Canonical(record.DomainName) != current)
                {
                    continue;
                }

                if (record is Lib.CNameRecord cname)
                {
                    if (cnameTarget is null)
                    {
                        cnameTarget = Canonical(cname.CanonicalName);
                        ttl = Math.Min(ttl, Math.Max(0, cname.TimeToLive));
                    }
                }
                else if (convert(record) is { } value)
                {
                    records.Add(value);
                    recordsTtl = Math.Min(recordsTtl, Math.Max(0, record.TimeToLive));
                }
            }

            if (records.Count > 0)
            {
                return new DnsLookup<T>(DnsStatus.Ok, records, authenticated, chain, null)
                {
                    Ttl = TimeSpan.FromSeconds(Math.Min(ttl, recordsTtl)),
                };
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

        return response.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain
            ? new DnsLookup<T>(DnsStatus.NxDomain, [], authenticated, chain, $"{current}: no such domain (NXDOMAIN)")
            : new DnsLookup<T>(DnsStatus.NoData, [], authenticated, chain, $"{current}: no {type} records");
    }

    /// <summary>Whether the SERVFAIL carried an RFC 8914 DNSSEC error in its OPT record.</summary>
    internal static bool HasDnssecFailure(IDnsQueryResponse response) =>
        response.Additionals.OfType<Lib.Options.OptRecord>().Any(opt => ExtendedDnsError.HasDnssecFailure(opt.Data ?? []));

    /// <summary>Lower case, one trailing dot removed: the form names take in results.</summary>
    internal static string Canonical(string name)
    {
        string trimmed = (name ?? "").Trim();
        if (trimmed.EndsWith('.') && trimmed.Length > 1)
        {
            trimmed = trimmed[..^1];
        }

        return trimmed.ToLowerInvariant();
    }

    /// <summary>
    /// A name from the wire in its A-label form, as it was on the wire. DnsClient 1.8.0 keeps two forms and is not
    /// consistent about which is which: record names and RDATA names carry the A-label in <see cref="DnsString.Value"/>
    /// and the IDNA-decoded Unicode in <see cref="DnsString.Original"/>, question names the other way round. The
    /// A-label form is the one that is pure ASCII.
    /// </summary>
    internal static string Canonical(DnsString name) =>
        Canonical(Ascii.IsValid(name.Value) || !Ascii.IsValid(name.Original) ? name.Value : name.Original);

    private static string RcodeName(DnsHeaderResponseCode rcode) => rcode switch
    {
        DnsHeaderResponseCode.FormatError => "FORMERR",
        DnsHeaderResponseCode.ServerFailure => "SERVFAIL",
        DnsHeaderResponseCode.NotImplemented => "NOTIMP",
        _ => $"RCODE {(int)rcode}",
    };
}
