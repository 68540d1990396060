namespace XmppScanCluster.Shared.Certificates;

/// <summary>Which presented identifier matched the reference identity (RFC 6120 §13.7.2, RFC 6125/9525, RFC 7673).</summary>
public enum IdentityMatchKind
{
    /// <summary>A dNSName SAN, exact or a left-most-label wildcard.</summary>
    DnsId,

    /// <summary>An SRV-ID otherName for the scanned service (<c>_xmpp-client</c> or <c>_xmpp-server</c>).</summary>
    SrvId,

    /// <summary>An XmppAddr otherName equal to the domain.</summary>
    XmppAddr,

    /// <summary>The subject CN, only when no DNS-ID, SRV-ID or XmppAddr is present (RFC 6125 §6.4.4; RFC 9525 drops it).</summary>
    CommonName,

    /// <summary>The SRV target host name, accepted only with DNSSEC-secure SRV and usable DANE (RFC 7673 §5).</summary>
    SrvTargetWithDane,

    /// <summary>Nothing matched.</summary>
    None,
}

/// <summary>The result of matching a leaf certificate against the XMPP service domain.</summary>
/// <param name="Matched">True when some presented identifier matched.</param>
/// <param name="MatchedBy">Which kind matched, by precedence DnsId, SrvId, XmppAddr, then CommonName / SrvTargetWithDane.</param>
/// <param name="MatchedIdentifier">The presented identifier that matched, as presented.</param>
/// <param name="ReferenceIdentity">The service domain as compared (A-labels, lower case, no trailing dot).</param>
/// <param name="PresentedIdentifiers">Every SAN of the leaf, for the report.</param>
/// <param name="CommonNameOnlyMatch">True when only the subject CN matched (accepted by RFC 6125, not by RFC 9525).</param>
public sealed record IdentityMatch(
    bool Matched,
    IdentityMatchKind MatchedBy,
    string? MatchedIdentifier,
    string ReferenceIdentity,
    IReadOnlyList<SubjectAltName> PresentedIdentifiers,
    bool CommonNameOnlyMatch);
