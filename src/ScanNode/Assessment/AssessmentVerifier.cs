using System.Security.Cryptography;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Assessment;

/// <summary>
/// Replays a shared assessment's verification hellos (<see cref="VerificationPlan"/>) on another endpoint, with that
/// endpoint's own domain as SNI, and compares the answers word for word (<see cref="HelloAnswer"/>). It stops at the
/// first difference (the endpoint is then assessed in full anyway). All equal, and the endpoint's own session
/// consistent with the shared facts: the source's facts with this endpoint's connections, its chain as the hellos
/// received it (a certificate chosen by SNI is this endpoint's own) and <see cref="AssessmentSharing"/> saying so.
/// </summary>
internal sealed class AssessmentVerifier(ScanLimits limits)
{
    public const string ProbeName = "verification";

    /// <summary>The shared report and chain when verified; else null and the sharing record of the mismatch.</summary>
    /// <exception cref="OperationCanceledException">Only when <paramref name="cancellationToken"/> is cancelled.</exception>
    public async Task<(AssessedChain? Shared, AssessmentSharing Sharing)> VerifyAsync(EndpointConnections connections,
        SharedAssessment source, TlsSessionReport? session, CancellationToken cancellationToken)
    {
        var counter = connections.Counter;
        counter.Probe = ProbeName;
        var probe = new HandshakeProbe(counter, limits);
        var hellos = new List<VerificationHello>();
        IReadOnlyList<byte[]> chain = [];
        foreach (var hello in source.Plan)
        {
            var r = await probe.RunAsync(AssessmentHello.Build(hello.Version, hello.Suites, connections.Endpoint.Domain, hello.Compact, hello.Hello),
                cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            var answered = HelloAnswer.Describe(r) ?? HelloAnswer.Unusable(r);
            hellos.Add(new VerificationHello(hello.Name, hello.Answer, answered, answered == hello.Answer));
            if (answered != hello.Answer)
            {
                return (null, new AssessmentSharing(source.Source, false, hellos));
            }

            // The plaintext Certificate of the highest TLS ≤ 1.2 version that sent one (the plan goes high to low), as
            // the full assessment's ObservedChain takes it.
            if (chain.Count == 0 && r.NegotiatedVersion <= (ushort)TlsVersion.Tls12 && r.Certificates.Length > 0)
            {
                chain = [.. r.Certificates.Select(c => c.ToArray())];
            }
        }

        var sharing = new AssessmentSharing(source.Source, true, hellos);
        var report = SessionConsistency.Check(source.Report with
        {
            Connections = new ConnectionCounts(counter.Total, source.Plan.Length,
                [.. counter.PerProbe.Select(p => new ProbeConnections(p.Probe, p.Count))]),
            ChainSha256 = chain.Count == 0 ? null : [.. chain.Select(der => Convert.ToHexStringLower(SHA256.HashData(der)))],
            Sharing = sharing,
        }, session);
        if (report.Contradictions is { Count: > 0 } contradictions)
        {
            // The endpoint's own session disagrees with the shared facts: not the same service after all.
            hellos.Add(new VerificationHello("the endpoint's own session", "consistent with the shared assessment", contradictions[0], false));
            return (null, new AssessmentSharing(source.Source, false, hellos));
        }

        return (new AssessedChain(report, chain), sharing);
    }
}
