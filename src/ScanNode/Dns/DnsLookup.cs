using XmppScanCluster.Shared.Dns;

namespace XmppScanCluster.ScanNode.Dns;

/// <summary>
/// The result of one lookup: a status, the records of the asked type (empty unless <see cref="DnsStatus.Ok"/>),
/// the AD bit of the answer and the CNAME chain followed to reach the records.
/// </summary>
/// <param name="Status">What happened.</param>
/// <param name="Records">Records of the asked type at the end of the CNAME chain.</param>
/// <param name="Authenticated">The resolver set AD (RFC 4035 §3.2.3): it validated the answer.</param>
/// <param name="CnameChain">The CNAME targets followed, in order (empty when the name had none).</param>
/// <param name="Error">A one-line message for people when the status is not Ok (or a partial failure).</param>
public sealed record DnsLookup<T>(
    DnsStatus Status,
    IReadOnlyList<T> Records,
    bool Authenticated,
    IReadOnlyList<string> CnameChain,
    string? Error)
{
    /// <summary>
    /// The resolver's SERVFAIL was caused by DNSSEC validation: it carried a DNSSEC Extended DNS Error
    /// (RFC 8914 §4, codes 1-12) or the same query with CD set succeeded (RFC 4035 §3.2.2).
    /// </summary>
    public bool ValidationFailed { get; init; }

    /// <summary>How long the records may be reused: the smallest TTL of the records read, CNAMEs of the chain included
    /// (RFC 1035 §3.2.1; RFC 2181 §5.2: one RRset, one TTL). Null when nothing says (a failure, a negative answer).</summary>
    public TimeSpan? Ttl { get; init; }

    /// <summary>DNSSEC status as a non-validating stub can tell it from the AD bit (RFC 6840 §5.7).</summary>
    public DnssecStatus Dnssec => Status switch
    {
        DnsStatus.Ok or DnsStatus.NoData or DnsStatus.NxDomain => Authenticated ? DnssecStatus.Secure : DnssecStatus.Insecure,
        DnsStatus.ServerFailure when ValidationFailed => DnssecStatus.Bogus,
        _ => DnssecStatus.Unknown,
    };

    /// <summary>A failed lookup with no records.</summary>
    public static DnsLookup<T> Failure(DnsStatus status, string error) => new(status, [], false, [], error);
}
