using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.Coordinator.Aggregation;

/// <summary>One domain's latest result in one mode from one region, with its domain grade under the chosen policy
/// (null when no endpoint completed a TLS handshake: nothing to grade).</summary>
public sealed record RegionResult(string Region, DomainReport Report, GradeResult? Grade);

/// <summary>A count with its share (0–1) of <see cref="Of"/>, the results it is counted over: all results of the
/// census, or for some features a part of them (one mode's results for "STARTTLS required c2s"; the assessed results
/// for suite features, since a session handshake says nothing about the suites a server also accepts).</summary>
public sealed record Count(string Key, int Domains, double Share, int Of = 0);

/// <summary>
/// The statistics of a census under one grading policy. Every count is of results (domain × mode) in the census's
/// first region, except <see cref="Disagreements"/>, which compares the regions.
/// </summary>
/// <param name="Policy">The grading policy the grades are from.</param>
/// <param name="Region">The region the counts are of.</param>
/// <param name="Results">Domain × mode results counted.</param>
/// <param name="Responding">Results with at least one TLS handshake.</param>
/// <param name="NotResponding">Results without any (no DNS, refused, no TLS).</param>
/// <param name="Grades">Letters shown (T and M for trust and name problems), of the responding results.</param>
/// <param name="GradesIgnoringTrust">Letters with trust and name problems ignored.</param>
/// <param name="TrustCauses">Why a certificate was not trusted: expired, self_signed, self_signed_in_chain, wrong_name, …</param>
/// <param name="Protocols">Results supporting each protocol version.</param>
/// <param name="KeyTypes">Leaf key types and sizes ("RSA 2048", "EC 256").</param>
/// <param name="Features">Named properties: starttls_required_c2s, starttls_required_s2s, direct_tls, tls13, dane,
/// sasl_plain_before_tls; from the TLS assessment only: weak_suites (≤ 56 bits, NULL included), export_suites,
/// rc4_suites, null_suites, anonymous_suites, dh_1024_or_less, forward_secrecy_all/some/none.</param>
/// <param name="TopIssuers">The leaf's issuer, most frequent first (top 10).</param>
/// <param name="SharedKeys">Leaf public keys (SPKI SHA-256) seen on more than one domain.</param>
/// <param name="Disagreements">Endpoints whose facts differ between regions.</param>
/// <param name="Assessed">Responding results whose every handshaken endpoint has the TLS assessment (a census at depth
/// full): the suite features are counted over these; protocols and tls13 of the others come from their one session.</param>
/// <param name="ResultsByMode">Results per mode (c2s, s2s): what "STARTTLS required" in that mode is a share of.</param>
/// <param name="Weaknesses">Per vulnerability probe and derived weakness, the responding results that are vulnerable,
/// proven safe, or not tested (<see cref="WeaknessStatistics"/>).</param>
public sealed record CensusStatistics(
    string Policy,
    string Region,
    int Results,
    int Responding,
    int NotResponding,
    IReadOnlyList<Count> Grades,
    IReadOnlyList<Count> GradesIgnoringTrust,
    IReadOnlyList<Count> TrustCauses,
    IReadOnlyList<Count> Protocols,
    IReadOnlyList<Count> KeyTypes,
    IReadOnlyList<Count> Features,
    IReadOnlyList<Count> TopIssuers,
    IReadOnlyList<SharedKey> SharedKeys,
    IReadOnlyList<VantageDisagreement> Disagreements,
    int Assessed = 0,
    IReadOnlyDictionary<string, int>? ResultsByMode = null,
    IReadOnlyList<WeaknessCount>? Weaknesses = null);

/// <summary>One public key presented by several domains (a shared hosting key, or a copied key).</summary>
public sealed record SharedKey(string SpkiSha256, IReadOnlyList<string> Domains);

/// <summary>
/// One endpoint (address:port, transport) seen differently from two regions — what an attacker on the path of one
/// region would cause: <c>starttls</c> (offered in one, missing in the other: stripping), <c>certificate</c>
/// (another leaf), <c>key</c> (another leaf key), <c>protocols</c> (another set of versions).
/// </summary>
/// <param name="Domain">The service domain.</param>
/// <param name="Mode">c2s or s2s.</param>
/// <param name="Endpoint">address:port transport.</param>
/// <param name="Kind">starttls, certificate, key or protocols.</param>
/// <param name="Values">What each region saw, by region.</param>
/// <param name="Summary">In words: "STARTTLS offered in eu, missing in us".</param>
public sealed record VantageDisagreement(string Domain, XmppMode Mode, string Endpoint, string Kind,
    IReadOnlyDictionary<string, string> Values, string Summary);
