using System.Collections.Immutable;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.Shared.Certificates;
using XmppScanCluster.Shared.ClientSimulation;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;
using XmppScanCluster.Shared.Xmpp;

namespace XmppScanCluster.Coordinator.Grading;

/// <summary>
/// Verdicts of the probe-only checks (no derivation from the suite list can give them), keyed by check id
/// (<see cref="IVulnerabilityCheck.Id"/>). A check without a verdict, or whose verdict is inconclusive or not
/// tested, is not tested: no cap, and the report says "not tested".
/// </summary>
public sealed class ProbeVerdicts
{
    private readonly IReadOnlyDictionary<string, bool?> _vulnerable;

    private ProbeVerdicts(IReadOnlyDictionary<string, bool?> vulnerable) => _vulnerable = vulnerable;

    public static ProbeVerdicts NotTested { get; } = new(new Dictionary<string, bool?>());

    /// <summary>True: the check found the weakness; false: its facts prove it absent; null: not established.</summary>
    public bool? Vulnerable(string checkId) => _vulnerable.GetValueOrDefault(checkId);

    /// <summary>Verdicts of every registered check from a report's results (a check it lacks is not tested).</summary>
    public static ProbeVerdicts From(VulnerabilityReport report) =>
        new(VulnerabilityChecks.All.ToDictionary(c => c.Id, c => c.Verdict(report.Probe(c.Id)).IsVulnerable));

    /// <summary>Verdicts given directly (tests, re-grading scenarios): check id → vulnerable.</summary>
    public static ProbeVerdicts Of(params (string CheckId, bool? Vulnerable)[] verdicts) =>
        new(verdicts.ToDictionary(v => v.CheckId, v => v.Vulnerable));
}

/// <summary>
/// Everything a grading policy looks at for one endpoint, adapted from the stored fact model. Built by
/// <see cref="From"/>; tests build it directly. Derived weaknesses come from <see cref="VulnerabilityFacts.Derive"/>
/// on the assessment's suites, so grading does not depend on whether the vulnerability probes ran.
/// </summary>
public sealed record GradingInput
{
    public required string Domain { get; init; }
    public XmppMode Mode { get; init; } = XmppMode.C2S;
    public TlsTransport Transport { get; init; } = TlsTransport.StartTls;
    /// <summary>How the endpoint was found (SRV, the RFC 6120 §3.2.2 address fallback, or named by the operator).</summary>
    public EndpointSource Source { get; init; } = EndpointSource.Srv;
    /// <summary><c>host:port transport</c>.</summary>
    public string Endpoint { get; init; } = "";
    /// <summary>A TLS handshake completed (session or assessment).</summary>
    public bool HasTls { get; init; } = true;
    /// <summary>The full TLS assessment ran (not <c>--quick</c>); without it only the session's protocol and suite are known.</summary>
    public bool Assessed { get; init; } = true;
    /// <summary>Accepted suites per version (SSLv3 … TLS 1.3); unknown codes are left out.</summary>
    public IReadOnlyDictionary<TlsVersion, IReadOnlyList<CipherSuiteInfo>> Suites { get; init; } = new Dictionary<TlsVersion, IReadOnlyList<CipherSuiteInfo>>();
    /// <summary>Versions whose support could not be established (inconclusive answers, a contradiction with the
    /// session), with the reason: never read as absent.</summary>
    public IReadOnlyDictionary<TlsVersion, string> Inconclusive { get; init; } = new Dictionary<TlsVersion, string>();
    /// <summary>Versions whose suite order the server enforces.</summary>
    public IReadOnlySet<TlsVersion> ServerOrder { get; init; } = new HashSet<TlsVersion>();
    /// <summary>SSLv2 cipher kinds' bits, when SSLv2 is supported.</summary>
    public IReadOnlyList<int>? Ssl2CipherBits { get; init; }
    /// <summary>Bits of every finite-field DH group seen.</summary>
    public IReadOnlyList<int> DhGroupBits { get; init; } = [];
    /// <summary>ECDHE curves and TLS 1.3 groups accepted (elliptic-curve and hybrid groups).</summary>
    public IReadOnlyList<NamedGroup> EcGroups { get; init; } = [];
    /// <summary>The presented chain, leaf first (empty when none was parsed).</summary>
    public IReadOnlyList<CertificateFacts> Chain { get; init; } = [];
    public TrustVerdict? Trust { get; init; }
    public IdentityMatch? Identity { get; init; }
    public DaneFacts? Dane { get; init; }
    public XmppStreamFacts? Xmpp { get; init; }
    public ProbeVerdicts Probes { get; init; } = ProbeVerdicts.NotTested;
    /// <summary>Client simulation results, when the simulation ran.</summary>
    public IReadOnlyList<ClientSimulationFacts>? ClientSimulation { get; init; }

    /// <summary>Derived weaknesses of <see cref="Suites"/>, computed once.</summary>
    public ImmutableArray<DerivedFinding> Derived => _derived ??= VulnerabilityFacts.Derive(
        Suites.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<ushort>)[.. kv.Value.Select(s => s.Code)]),
        DhGroupBits, Ssl2Supported);

    private ImmutableArray<DerivedFinding>? _derived;

    public CertificateFacts? Leaf => Chain.Count > 0 ? Chain[0] : null;

    public bool Ssl2Supported => Ssl2CipherBits is { Count: > 0 };

    /// <summary>Supported versions, SSLv2 included, ascending.</summary>
    public IReadOnlyList<TlsVersion> Protocols =>
        [.. (Ssl2Supported ? [TlsVersion.Ssl2] : Array.Empty<TlsVersion>()).Concat(Suites.Where(kv => kv.Value.Count > 0).Select(kv => kv.Key)).Distinct().Order()];

    public IEnumerable<(TlsVersion Version, CipherSuiteInfo Suite)> AllSuites =>
        Suites.SelectMany(kv => kv.Value.Select(s => (kv.Key, s)));

    public DerivedFinding Finding(DerivedWeakness weakness) => Derived.First(f => f.Weakness == weakness);

    public bool Has(DerivedWeakness weakness) => Finding(weakness).Present;

    /// <summary>Adapts one endpoint of a domain report. The vulnerability probes and the client simulation come
    /// from the endpoint's facts when it carries them (not with <c>--quick</c> or <c>--skip</c>); without them
    /// those rules report "not tested". Tests may pass them explicitly.</summary>
    public static GradingInput From(DomainReport domain, EndpointReport endpoint, ProbeVerdicts? probes = null,
        IReadOnlyList<ClientSimulationFacts>? clientSimulation = null)
    {
        if (probes is null && endpoint.Vulnerabilities is { } found)
        {
            probes = ProbeVerdicts.From(found);
        }

        clientSimulation ??= endpoint.ClientSimulation?.Clients;

        var suites = new Dictionary<TlsVersion, IReadOnlyList<CipherSuiteInfo>>();
        var serverOrder = new HashSet<TlsVersion>();
        var inconclusive = new Dictionary<TlsVersion, string>();
        IReadOnlyList<int>? ssl2 = null;
        var assessed = endpoint.Assessment is { Protocols.Count: > 0 };
        if (endpoint.Assessment is { } assessment && assessed)
        {
            foreach (var p in assessment.Protocols.Where(p => !p.Supported && p.Inconclusive is not null))
            {
                if (ParseVersion(p.Protocol) is { } unknown) inconclusive[unknown] = p.Inconclusive!;
            }

            foreach (var p in assessment.Protocols.Where(p => p.Supported))
            {
                if (p.Protocol == "SSLv2")
                {
                    ssl2 = [.. p.Ssl2CipherKinds.Select(k => k.Bits)];
                    continue;
                }

                if (ParseVersion(p.Protocol) is not { } v) continue;
                suites[v] = [.. p.Suites.Select(s => CipherSuiteRegistry.Find((ushort)s.Code)).OfType<CipherSuiteInfo>()];
                if (p.SuiteOrder == NegotiationOrder.Server) serverOrder.Add(v);
            }
        }
        else if (endpoint.Tls is { Protocol: { } proto, CipherSuite: { } cs } && ParseVersion(proto) is { } v
                 && CipherSuiteRegistry.Find((ushort)cs.Code) is { } info)
        {
            suites[v] = [info];
        }

        var kx = endpoint.Assessment?.KeyExchange;
        var groups = (kx?.EcdheCurves ?? []).Concat(kx?.Tls13Groups ?? [])
            .Select(g => NamedGroups.TryGet((ushort)g.Code, out var n) ? n : null).OfType<NamedGroup>()
            .Where(g => g.Kind is NamedGroupKind.EllipticCurve or NamedGroupKind.Hybrid).DistinctBy(g => g.Code).ToList();
        var address = endpoint.Address.Contains(':', StringComparison.Ordinal) ? $"[{endpoint.Address}]" : endpoint.Address;
        return new GradingInput
        {
            Domain = domain.Domain,
            Mode = domain.Mode,
            Transport = endpoint.Transport,
            Source = endpoint.Source,
            Endpoint = $"{endpoint.Target} {address}:{endpoint.Port} {endpoint.Transport.Name()}",
            HasTls = suites.Count > 0 || ssl2 is { Count: > 0 },
            Assessed = assessed,
            Suites = suites,
            ServerOrder = serverOrder,
            Inconclusive = inconclusive,
            Ssl2CipherBits = ssl2,
            DhGroupBits = [.. (kx?.DhGroups ?? []).Select(g => g.Bits)],
            EcGroups = groups,
            Chain = endpoint.Certificate?.Chain ?? [],
            Trust = endpoint.Certificate?.Trust,
            Identity = endpoint.Certificate?.Identity,
            Dane = endpoint.Certificate?.Dane,
            Xmpp = endpoint.Xmpp,
            Probes = probes ?? ProbeVerdicts.NotTested,
            ClientSimulation = clientSimulation,
        };
    }

    /// <summary>A stored protocol name; "TLSv1" (as some reports write TLS 1.0) too.</summary>
    public static TlsVersion? ParseVersion(string name) => name == "TLSv1" ? TlsVersion.Tls10 : TlsVersionNames.FromName(name);
}
