namespace XmppScanCluster.Shared.Dns;

/// <summary>An SRV record (RFC 2782). A target of "." means the service is decidedly not offered.</summary>
/// <param name="Name">The owner name queried, e.g. <c>_xmpp-client._tcp.example.org</c>.</param>
/// <param name="Priority">Lower is tried first.</param>
/// <param name="Weight">Relative weight among equal priorities.</param>
/// <param name="Port">TCP port.</param>
/// <param name="Target">Target host name without the trailing dot; "." when the service is not offered.</param>
/// <param name="Ttl">Time to live in seconds.</param>
public sealed record SrvRecord(string Name, ushort Priority, ushort Weight, ushort Port, string Target, uint Ttl)
{
    /// <summary>RFC 2782: a target of "." means the service is not available at this domain.</summary>
    public bool IsServiceDisabled => Target is "." or "";
}

/// <summary>A TLSA record (RFC 6698 §2.1): certificate usage, selector, matching type, association data.</summary>
/// <param name="Name">Owner name, e.g. <c>_5222._tcp.xmpp.example.org</c>.</param>
/// <param name="Usage">0 PKIX-TA, 1 PKIX-EE, 2 DANE-TA, 3 DANE-EE.</param>
/// <param name="Selector">0 full certificate, 1 SubjectPublicKeyInfo.</param>
/// <param name="MatchingType">0 exact, 1 SHA-256, 2 SHA-512.</param>
/// <param name="Data">Certificate association data.</param>
/// <param name="Ttl">Time to live in seconds.</param>
public sealed record TlsaRecord(string Name, byte Usage, byte Selector, byte MatchingType, byte[] Data, uint Ttl);

/// <summary>DNSSEC status of an answer as far as a non-validating stub can tell (RFC 4035 §3.2.3, RFC 6840 §5.7).</summary>
public enum DnssecStatus
{
    /// <summary>The resolver set the AD bit: it validated the answer. Only as trustworthy as the path to the resolver.</summary>
    Secure,

    /// <summary>The resolver did not set the AD bit.</summary>
    Insecure,

    /// <summary>The resolver answered SERVFAIL to a DO query where validation failure is the likely cause.</summary>
    Bogus,

    /// <summary>No answer to judge.</summary>
    Unknown,
}
