namespace XmppScanCluster.Shared.Certificates;

/// <summary>
/// One AIA caIssuers fetch (RFC 5280 §4.2.2.1) made because the server did not send an issuer the trust store does
/// not know, with what came back: the evidence behind an "incomplete chain" verdict (the issuer exists and is
/// published) as opposed to an "unknown CA".
/// </summary>
/// <param name="Url">The caIssuers URL of the certificate whose issuer was missing.</param>
/// <param name="Outcome">fetched, not_the_issuer, self_signed, unparseable, too_large, http_error, timeout, not_http.</param>
/// <param name="Sha256">SHA-256 of the fetched certificate (hex), when one was parsed.</param>
/// <param name="Subject">Its subject, when parsed (untrusted text: escape it).</param>
/// <param name="Der">The fetched certificate itself (DER), when parsed: the facts, so a policy can re-judge it.</param>
public sealed record AiaFetchFacts(string Url, string Outcome, string? Sha256 = null, string? Subject = null, byte[]? Der = null);
