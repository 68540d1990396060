namespace XmppScanCluster.ScanNode.Dns;

/// <summary>The resource record TYPE values this client asks for or reads (RFC 1035 §3.2.2, RFC 3596, RFC 2782, RFC 6891, RFC 6698).</summary>
public enum DnsRecordType : ushort
{
    A = 1,
    NS = 2,
    CNAME = 5,
    SOA = 6,
    PTR = 12,
    AAAA = 28,
    SRV = 33,
    OPT = 41,
    TLSA = 52,
}

/// <summary>The outcome of one lookup. Every network problem is one of these plus a message; nothing throws.</summary>
public enum DnsStatus
{
    /// <summary>NOERROR with at least one record of the asked type.</summary>
    Ok,

    /// <summary>NOERROR, the name exists, but holds no record of the asked type (RFC 2308 §2.2).</summary>
    NoData,

    /// <summary>RCODE 3: the name does not exist (RFC 1035 §4.1.1, RFC 2308 §2.1).</summary>
    NxDomain,

    /// <summary>RCODE 2 from every resolver that answered.</summary>
    ServerFailure,

    /// <summary>RCODE 5 from every resolver that answered.</summary>
    Refused,

    /// <summary>No resolver answered within its deadline.</summary>
    Timeout,

    /// <summary>A response violated the wire format (or the query name was unusable).</summary>
    Malformed,

    /// <summary>Sockets failed (unreachable, refused TCP) and no resolver answered.</summary>
    NetworkError,
}
