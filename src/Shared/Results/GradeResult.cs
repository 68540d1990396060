using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.Shared.Results;

/// <summary>How an XMPP-specific rating came out; reported beside the letter, never folded into it.</summary>
public enum RatingLevel
{
    Good,
    Warning,
    Bad,
    NotApplicable,
    NotTested,
}

/// <summary>One category score of a policy (protocol, key exchange, cipher strength).</summary>
/// <param name="Category">"protocol", "key_exchange" or "cipher_strength".</param>
/// <param name="Score">0–100 (a mean of two table values may end in .5).</param>
/// <param name="Weight">Its weight in the total (0.3, 0.3, 0.4).</param>
/// <param name="Basis">The facts that gave the score, in words.</param>
public sealed record CategoryScore(string Category, double Score, double Weight, string Basis);

/// <summary>A rule that limited (or, for A+, raised) the letter, with its reason in words.</summary>
/// <param name="Rule">Stable rule id (<c>null_or_anonymous_suites</c>).</param>
/// <param name="Cap">The letter the rule caps at: F, E, D, C, B, A-; T or M for trust; A+ for a bonus.</param>
/// <param name="Reason">Why, with the evidence.</param>
public sealed record AppliedCap(string Rule, string Cap, string Reason);

/// <summary>An XMPP-specific security rating (STARTTLS required, direct TLS, DANE, SASL PLAIN before TLS, s2s authentication).</summary>
public sealed record XmppRating(string Name, RatingLevel Level, string Reason);

/// <summary>
/// The outcome of one grading policy on the stored facts of one endpoint (or a domain: its worst endpoint).
/// Computed by the Coordinator after the scan, never by probes, so a stored census can be re-graded.
/// </summary>
/// <param name="Policy">Policy name (<c>xmppscan-2026</c>, <c>ssllabs-2009r</c>, <c>xmppoke-2015</c>).</param>
/// <param name="PolicyVersion">Version of that policy's rules and thresholds.</param>
/// <param name="Grade">The letter shown: A+, A, A-, B … F, or T (untrusted) / M (name mismatch).</param>
/// <param name="GradeIgnoringTrust">The letter if the trust and name problems were ignored.</param>
/// <param name="Score">The weighted numeric score (0–100) before caps.</param>
/// <param name="Categories">Category scores.</param>
/// <param name="Caps">Every rule that applied, most severe first.</param>
/// <param name="NotTested">Rules that could not be judged because the facts were not collected.</param>
/// <param name="XmppRatings">XMPP-specific ratings beside the letter.</param>
/// <param name="Notes">Choices the policy made (for example which client simulation decided a rule).</param>
/// <param name="SetBy">A domain's grade only (additive): the endpoint whose grade it is (its worst).</param>
public sealed record GradeResult(
    string Policy,
    int PolicyVersion,
    string Grade,
    string GradeIgnoringTrust,
    double Score,
    IReadOnlyList<CategoryScore> Categories,
    IReadOnlyList<AppliedCap> Caps,
    IReadOnlyList<string> NotTested,
    IReadOnlyList<XmppRating> XmppRatings,
    IReadOnlyList<string> Notes,
    string? SetBy = null);

/// <summary>A grading keyed by domain, mode and endpoint (<c>host:port transport</c>; null for the domain's overall grade).</summary>
public sealed record GradingEntry(string Domain, XmppMode Mode, string? Endpoint, GradeResult Result);
