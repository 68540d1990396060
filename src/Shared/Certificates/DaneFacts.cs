using XmppScanCluster.Shared.Dns;

namespace XmppScanCluster.Shared.Certificates;

/// <summary>
/// DANE for one endpoint (RFC 6698, RFC 7671, RFC 7673): the TLSA answer at <c>_port._tcp.&lt;SRV target&gt;</c>,
/// the DNSSEC status of the SRV and TLSA answers, and the match against the presented chain.
/// The DNSSEC status is the resolver's AD bit, nothing more: this scanner does not validate signatures itself,
/// so it is only as trustworthy as the path to the configured resolver.
/// </summary>
/// <param name="TlsaName">The owner name queried.</param>
/// <param name="Lookup">DNS outcome of the TLSA query (ok, nodata, nxdomain, servfail…).</param>
/// <param name="SrvDnssec">DNSSEC status of the SRV answer that named the target (unknown for the address fallback).</param>
/// <param name="TlsaDnssec">DNSSEC status of the TLSA answer.</param>
/// <param name="DnssecSource">Always "resolver AD bit".</param>
/// <param name="Records">The TLSA records received.</param>
/// <param name="Verdict">The match (not secure: what would have matched).</param>
/// <param name="SrvTargetIdentityAllowed">RFC 7673 §5: the SRV target counts as a reference identity (secure SRV, secure TLSA with usable records).</param>
/// <param name="Error">Why the lookup failed, if it did.</param>
public sealed record DaneFacts(
    string TlsaName,
    string Lookup,
    DnssecStatus SrvDnssec,
    DnssecStatus TlsaDnssec,
    string DnssecSource,
    IReadOnlyList<TlsaRecord> Records,
    DaneVerdict Verdict,
    bool SrvTargetIdentityAllowed,
    string? Error);
