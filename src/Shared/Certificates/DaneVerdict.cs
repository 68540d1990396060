namespace XmppScanCluster.Shared.Certificates;

/// <summary>The outcome of matching TLSA records against a presented chain (RFC 6698, RFC 7671, RFC 7673).</summary>
public enum DaneResult
{
    /// <summary>At least one usable record matched (and, for PKIX usages, PKIX validation succeeded).</summary>
    Match,

    /// <summary>Usable records exist but none matched.</summary>
    Mismatch,

    /// <summary>No TLSA records.</summary>
    NoRecords,

    /// <summary>Records exist but all use unknown usage/selector/matching-type values or malformed data.</summary>
    UnusableRecords,

    /// <summary>The TLSA answer was not DNSSEC-secure, so it must not be used (RFC 6698 §4.1).</summary>
    NotSecure,
}

/// <summary>DANE verdict with the matching records rendered as <c>"3 1 1 abcd…"</c> and a human message.</summary>
/// <param name="Result">The outcome.</param>
/// <param name="MatchedRecords">Usable records whose data matched; for <see cref="DaneResult.NotSecure"/> the records that
/// would have matched had the answer been DNSSEC-secure.</param>
/// <param name="Message">Human explanation, including unusable records and why.</param>
public sealed record DaneVerdict(DaneResult Result, IReadOnlyList<string> MatchedRecords, string Message);
