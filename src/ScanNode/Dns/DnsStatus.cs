namespace XmppScanCluster.ScanNode.Dns;

/// <summary>The outcome of one lookup. Every network problem is one of these plus a message; nothing throws.</summary>
public enum DnsStatus
{
    /// <summary>NOERROR with at least one record of the asked type.</summary>
    Ok,

    /// <summary>NOERROR, the name exists, but holds no record of the asked type (RFC 2308 §2.2).</summary>
    NoData,

    /// <summary>RCODE 3: the name does not exist (RFC 1035 §4.1.1, RFC 2308 §2.1).</summary>
    NxDomain,

    /// <summary>RCODE 2 (or any other error RCODE but 3 and 5) from the resolver that answered; never skipped to the next one.</summary>
    ServerFailure,

    /// <summary>RCODE 5 from the resolver that answered.</summary>
    Refused,

    /// <summary>No resolver answered within its deadline (every attempt at every resolver).</summary>
    Timeout,

    /// <summary>A response violated the wire format (or the query name was unusable).</summary>
    Malformed,

    /// <summary>Sockets failed (unreachable, refused TCP) and no resolver answered.</summary>
    NetworkError,
}
