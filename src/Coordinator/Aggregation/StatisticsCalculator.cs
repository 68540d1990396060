using XmppScanCluster.Shared.Certificates;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;
using XmppScanCluster.Shared.Xmpp;

namespace XmppScanCluster.Coordinator.Aggregation;

/// <summary>
/// Computes <see cref="CensusStatistics"/> from graded results: a pure function, no I/O. A result counts once per
/// key however many endpoints share the property ("supports TLSv1.0" = at least one endpoint does; "STARTTLS
/// required" = every STARTTLS endpoint requires it, as one optional endpoint is enough for a downgrade).
/// </summary>
public static class StatisticsCalculator
{
    public static CensusStatistics Compute(string policy, string region, IReadOnlyList<RegionResult> counted,
        IReadOnlyList<RegionResult> allRegions)
    {
        var responding = counted.Where(r => Handshaken(r.Report).Any()).ToList();
        var total = counted.Count;
        var assessed = responding.Count(r => Handshaken(r.Report).All(e => e.Assessment is not null));
        var byMode = counted.GroupBy(r => r.Report.Mode.Name()).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        List<Count> Tally(IEnumerable<string> keys, bool byCount = true, Func<string, int>? of = null)
        {
            var groups = keys.GroupBy(k => k, StringComparer.Ordinal).Select(g =>
            {
                var over = of?.Invoke(g.Key) ?? total;
                return new Count(g.Key, g.Count(), Share(g.Count(), over), over);
            });
            return byCount ? [.. groups.OrderByDescending(c => c.Domains).ThenBy(c => c.Key, StringComparer.Ordinal)]
                : [.. groups.OrderBy(c => c.Key, StringComparer.Ordinal)];
        }

        var spki = responding.SelectMany(r => Leaves(r.Report).Select(l => (r.Report.Domain, l.SpkiSha256)))
            .GroupBy(x => x.SpkiSha256)
            .Select(g => new SharedKey(g.Key, [.. g.Select(x => x.Domain).Distinct().Order(StringComparer.Ordinal)]))
            .Where(s => s.Domains.Count > 1).OrderByDescending(s => s.Domains.Count).ThenBy(s => s.SpkiSha256).ToList();

        return new CensusStatistics(
            policy, region, total, responding.Count, total - responding.Count,
            Tally(responding.Where(r => r.Grade is not null).Select(r => r.Grade!.Grade), byCount: false),
            Tally(responding.Where(r => r.Grade is not null).Select(r => r.Grade!.GradeIgnoringTrust), byCount: false),
            Tally(responding.SelectMany(r => TrustCauses(r.Report))),
            Tally(responding.SelectMany(r => Protocols(r.Report)), byCount: false),
            Tally(responding.SelectMany(r => Leaves(r.Report).Select(KeyType).Distinct())),
            Tally(responding.SelectMany(Features), of: key => FeatureDenominator(key, total, assessed, byMode)),
            [.. Tally(responding.SelectMany(r => Leaves(r.Report).Select(l => l.Issuer).Distinct())).Take(10)],
            spki,
            VantageComparison.Compare(allRegions),
            assessed,
            byMode,
            WeaknessStatistics.Count(responding));
    }

    /// <summary>What a feature's share is of: STARTTLS required per mode of that mode's results (c2s and s2s differ by
    /// design, RFC 6120 §5.1 vs dialback-era s2s); suite and key-exchange features of the assessed results; the rest
    /// of all results.</summary>
    public static int FeatureDenominator(string key, int total, int assessed, IReadOnlyDictionary<string, int> resultsByMode) =>
        key.StartsWith("starttls_required_", StringComparison.Ordinal)
            ? resultsByMode.GetValueOrDefault(key["starttls_required_".Length..])
            : SuiteFeatures.Contains(key) ? assessed : total;

    /// <summary>Features that need the suite enumeration (census depth full).</summary>
    public static readonly IReadOnlySet<string> SuiteFeatures = new HashSet<string>(StringComparer.Ordinal)
    {
        "weak_suites", "export_suites", "rc4_suites", "null_suites", "anonymous_suites", "dh_1024_or_less",
        "forward_secrecy_all", "forward_secrecy_some", "forward_secrecy_none",
    };

    private static double Share(int count, int total) => total == 0 ? 0 : Math.Round((double)count / total, 4);

    /// <summary>Endpoints that answered a ClientHello: a session finished, a certificate was seen, or the engine's
    /// assessment found a protocol — the last is how a server no TLS library talks to is counted (issue 15).</summary>
    internal static IEnumerable<EndpointReport> Handshaken(DomainReport report) =>
        report.Endpoints.Where(e => e.Tls?.Protocol is not null || e.Certificate is not null || e.Assessment?.Protocols.Any(p => p.Supported) == true);

    private static IEnumerable<CertificateFacts> Leaves(DomainReport report) =>
        Handshaken(report).Select(e => e.Certificate?.Chain.FirstOrDefault()).OfType<CertificateFacts>()
            .DistinctBy(c => c.Sha256);

    private static string KeyType(CertificateFacts leaf) => leaf.KeyAlgorithm switch
    {
        KeyAlgorithm.Rsa => $"RSA {leaf.KeyBits}",
        KeyAlgorithm.Ec => $"EC {leaf.KeyBits}",
        KeyAlgorithm.Dsa => $"DSA {leaf.KeyBits}",
        var other => other.ToString(),
    };

    /// <summary>The versions at least one endpoint supports (the assessment when run, else the session's version).</summary>
    internal static IEnumerable<string> Protocols(DomainReport report) =>
        Handshaken(report).SelectMany(EndpointProtocols).Distinct(StringComparer.Ordinal);

    internal static IEnumerable<string> EndpointProtocols(EndpointReport e) =>
        e.Assessment is { Protocols.Count: > 0 } a ? a.Protocols.Where(p => p.Supported).Select(p => p.Protocol)
        : e.Tls?.Protocol is { } p2 ? [p2] : [];

    /// <summary>Trust causes, each once per result: wrong_name comes from the identity match, the rest from path building.</summary>
    internal static IEnumerable<string> TrustCauses(DomainReport report)
    {
        var causes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var cert in Handshaken(report).Select(e => e.Certificate).OfType<CertificateReport>())
        {
            foreach (var issue in cert.Trust.Issues)
            {
                causes.Add(issue.Problem switch
                {
                    TrustProblem.Expired => "expired",
                    TrustProblem.NotYetValid => "not_yet_valid",
                    TrustProblem.SelfSignedLeaf => "self_signed",
                    TrustProblem.SelfSignedRootInChainUnknown => "self_signed_in_chain",
                    TrustProblem.UnknownIssuer => "unknown_issuer",
                    TrustProblem.IncompleteChain => "incomplete_chain",
                    TrustProblem.ChainOutOfOrder => "chain_out_of_order",
                    TrustProblem.ExtraCertificates => "extra_certificates",
                    TrustProblem.WeakSignature => "weak_signature",
                    TrustProblem.KeyTooSmall => "key_too_small",
                    TrustProblem.InvalidSignature => "invalid_signature",
                    TrustProblem.NotACa => "not_a_ca",
                    TrustProblem.EmptyChain => "empty_chain",
                    _ => "unparseable",
                });
            }

            if (cert.Identity is { Matched: false })
            {
                causes.Add("wrong_name");
            }
        }

        return causes;
    }

    private static IEnumerable<string> Features(RegionResult result)
    {
        var report = result.Report;
        var endpoints = Handshaken(report).ToList();
        var mode = report.Mode.Name();
        var startTls = endpoints.Where(e => e.Transport == TlsTransport.StartTls).ToList();
        if (startTls.Count > 0 && startTls.All(e => e.Xmpp?.PreTlsFeatures?.StartTls == StartTlsSupport.Required))
        {
            yield return "starttls_required_" + mode;
        }

        if (endpoints.Any(e => e.Transport == TlsTransport.DirectTls))
        {
            yield return "direct_tls";
        }

        if (endpoints.SelectMany(EndpointProtocols).Contains("TLSv1.3"))
        {
            yield return "tls13";
        }

        if (endpoints.Any(e => e.Certificate?.Dane?.Verdict.Result == DaneResult.Match))
        {
            yield return "dane";
        }

        if (report.Endpoints.Any(e => e.Xmpp?.PreTlsFeatures?.SaslMechanisms.Contains("PLAIN", StringComparer.OrdinalIgnoreCase) == true))
        {
            yield return "sasl_plain_before_tls";
        }

        // Suite facts need the enumeration: one negotiated session says nothing about what else a server accepts.
        var suites = endpoints.SelectMany(e => e.Assessment?.Protocols.Where(p => p.Supported).SelectMany(p => p.Suites) ?? []).ToList();
        var known = suites.Select(s => CipherSuiteRegistry.Find((ushort)s.Code)).OfType<CipherSuiteInfo>().ToList();
        // SSLv2's cipher kinds are suites too (DES-CBC-MD5 is 56-bit, EXP-RC4-MD5 export): an SSLv2-only server has weak ones.
        var ssl2 = endpoints.SelectMany(e => e.Assessment?.Protocols.Where(p => p.Supported).SelectMany(p => p.Ssl2CipherKinds) ?? [])
            .Select(k => Ssl2CipherSpecs.TryGet(k.Code, out var spec) ? spec : null).OfType<Ssl2CipherSpec>().ToList();
        // ≤ 56 bits of encryption, NULL (none at all) included; the registry decides, as an unknown code's Bits is 0.
        if (known.Any(s => s.KeyBits <= 56) || ssl2.Any(k => k.KeyBits <= 56))
        {
            yield return "weak_suites";
        }

        if (known.Any(s => s.IsExport) || ssl2.Any(k => k.IsExport))
        {
            yield return "export_suites";
        }

        if (known.Any(s => s.IsRc4) || ssl2.Any(k => k.Cipher == BulkCipher.Rc4))
        {
            yield return "rc4_suites";
        }

        if (known.Any(s => s.IsNull))
        {
            yield return "null_suites";
        }

        if (known.Any(s => s.IsAnonymous))
        {
            yield return "anonymous_suites";
        }

        // Logjam's line (weakdh.org): a DH group of 1024 bits or fewer.
        if (endpoints.Any(e => e.Assessment?.KeyExchange.DhGroups.Any(g => g.Bits <= 1024) == true))
        {
            yield return "dh_1024_or_less";
        }

        // SSLv2 has no forward secrecy: its kinds count as suites without it.
        if (suites.Count + ssl2.Count > 0)
        {
            yield return suites.Count > 0 && ssl2.Count == 0 && suites.All(s => s.ForwardSecrecy) ? "forward_secrecy_all"
                : suites.Any(s => s.ForwardSecrecy) ? "forward_secrecy_some" : "forward_secrecy_none";
        }
    }
}
