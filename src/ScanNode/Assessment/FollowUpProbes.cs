using System.Collections.Immutable;
using XmppScanCluster.ScanNode.ClientSimulation;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.Shared.ClientSimulation;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Assessment;

/// <summary>
/// What runs after the assessment, over the same <see cref="CountingConnectionFactory"/> (so the endpoint still
/// sees one connection at a time, spaced as configured): the vulnerability and behaviour probes, fed the
/// assessment as their pre-flight (supported versions, accepted suites), and the client simulation.
/// Each probe is its own result-or-failure: an exception in one is recorded as its failure, never lost.
/// </summary>
public sealed class FollowUpProbes(ScanLimits limits)
{
    /// <summary>Suites the legacy probes offer at most (the assessment's full-hello window).</summary>
    private const int MaxContextSuites = 64;

    /// <summary>Runs every registered check (<see cref="VulnerabilityChecks"/>) in order, one at a time, and derives the
    /// enumeration-only weaknesses.</summary>
    public async Task<VulnerabilityReport> VulnerabilitiesAsync(CountingConnectionFactory counter, TlsAssessmentReport assessment,
        string? serverName, CancellationToken cancellationToken)
    {
        var context = Context(assessment, serverName);
        var before = counter.Total;
        var results = new List<KeyValuePair<string, ProbeResult>>();
        foreach (var check in VulnerabilityChecks.All)
        {
            results.Add(new(check.Id, await RunCheckAsync(counter, check, context, cancellationToken).ConfigureAwait(false)));
        }

        return VulnerabilityReport.Of(results, Derive(assessment), counter.Total - before);
    }

    /// <summary>Replays every client profile (one connection each). <paramref name="alpn"/> goes into the
    /// profiles that send ALPN (direct TLS: <c>xmpp-client</c>/<c>xmpp-server</c>, XEP-0368); null drops it.</summary>
    public async Task<ClientSimulationReport> ClientSimulationAsync(CountingConnectionFactory counter, string? serverName,
        IReadOnlyList<string>? alpn, CancellationToken cancellationToken)
    {
        var before = counter.Total;
        counter.Probe = "client_simulation";
        var simulator = new ClientSimulator(new HandshakeProbe(counter, limits));
        var clients = await simulator.RunAllAsync(new HelloRewriteOptions(serverName, alpn), cancellationToken).ConfigureAwait(false);
        return new ClientSimulationReport(clients, counter.Total - before);
    }

    /// <summary>The pre-flight facts for the probes: the versions the assessment saw negotiated, and the suites it
    /// found accepted below TLS 1.3 (highest version first, each once) and the ECDHE curves it found accepted, so
    /// every probe's hello is one the server answers.</summary>
    public static VulnerabilityProbeContext Context(TlsAssessmentReport assessment, string? serverName)
    {
        var supported = Supported(assessment).ToList();
        var suites = supported.Where(p => p.Version is >= TlsVersion.Ssl3 and <= TlsVersion.Tls12)
            .OrderByDescending(p => p.Version)
            .SelectMany(p => p.Protocol.Suites.Select(s => (ushort)s.Code))
            .Distinct()
            .Take(MaxContextSuites)
            .ToList();
        return new VulnerabilityProbeContext(serverName, [.. supported.Select(p => p.Version)])
        {
            Suites = suites.Count > 0 ? suites : null,
            EcdheGroups = [.. assessment.KeyExchange.EcdheCurves.Select(c => (ushort)c.Code)],
        };
    }

    /// <summary><see cref="VulnerabilityFacts.Derive"/> over the assessment: accepted suites per version, the DH
    /// group sizes seen, and whether SSLv2 answered with cipher kinds.</summary>
    public static ImmutableArray<DerivedFinding> Derive(TlsAssessmentReport assessment)
    {
        var accepted = Supported(assessment)
            .Where(p => p.Version != TlsVersion.Ssl2)
            .ToDictionary(p => p.Version, p => (IReadOnlyList<ushort>)[.. p.Protocol.Suites.Select(s => (ushort)s.Code)]);
        var ssl2 = assessment.Protocols.Any(p => p.Protocol == TlsVersion.Ssl2.Name() && p.Supported);
        // A group the assessment identified by its prime (Name set) is a published or widely shared one.
        var findings = VulnerabilityFacts.Derive(accepted, [.. assessment.KeyExchange.DhGroups.Select(g => g.Bits)], ssl2,
            [.. assessment.KeyExchange.DhGroups.Where(g => g.Name is not null).Select(g => g.Bits)]);
        return Unestablished(assessment) is { } why ? VulnerabilityFacts.NotEstablished(findings, why) : findings;
    }

    /// <summary>Why the assessment's suite lists do not establish an absence, or null when they do: it failed, a
    /// version is inconclusive or was not tested, or no version was established at all.</summary>
    public static string? Unestablished(TlsAssessmentReport assessment)
    {
        if (assessment.Status == ProbeStatus.Failed || assessment.Protocols.Count == 0)
        {
            return "the TLS assessment failed" + (assessment.Failure is { } f ? $" ({f.Words()})" : string.Empty);
        }

        if (assessment.Protocols.FirstOrDefault(p => !p.Supported && p.Inconclusive is not null) is { } inconclusive)
        {
            return $"{inconclusive.Protocol} inconclusive";
        }

        if (assessment.Protocols.FirstOrDefault(p => p.Protocol != TlsVersion.Ssl2.Name() && !p.Supported && !p.Refused) is { } untested)
        {
            return $"{untested.Protocol} not tested";
        }

        return assessment.Protocols.Any(p => p.Supported) ? null : "no protocol version was established";
    }

    private static IEnumerable<(TlsVersion Version, ProtocolAssessment Protocol)> Supported(TlsAssessmentReport assessment) =>
        from p in assessment.Protocols
        where p.Supported
        let v = TlsVersionNames.FromName(p.Protocol)
        where v is not null
        select (v.Value, p);

    /// <summary>One check, its connections labelled with its id; an exception of ours is its failure.</summary>
    internal async Task<ProbeResult> RunCheckAsync(CountingConnectionFactory counter, IVulnerabilityCheck check,
        VulnerabilityProbeContext context, CancellationToken cancellationToken)
    {
        counter.Probe = check.Id;
        var before = counter.Total;
        try
        {
            return await check.RunAsync(counter, limits, context, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A probe bug must not cost the endpoint its other results: record it as this probe's failure.
            return new ProbeResult(ProbeStatus.Failed, WireFailures.Internal(e, check.Id + " probe"), null, null, counter.Total - before);
        }
    }
}
