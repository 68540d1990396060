using XmppScanCluster.ScanNode.Assessment;
using XmppScanCluster.ScanNode.Dns;
using XmppScanCluster.ScanNode.Scanning;
using XmppScanCluster.ScanNode.Transport;
using XmppScanCluster.Shared.Messages;

namespace XmppScanCluster.ScanNode.Actors.Steps;

/// <summary>
/// The one place that composes the steps: discover, then on every endpoint the session (preamble, handshake,
/// certificate) and, at <see cref="ScanDepth.Full"/>, the TLS assessment (protocols, suites, key exchange), the
/// certificate inspection (key-type chains, OCSP staple, DANE), the vulnerability probes and the client simulation —
/// what <c>xmppscan scan</c> runs too (in memory, <see cref="LocalTargetScan"/>), one event each, so a crash resumes at the next phase.
/// </summary>
public static class ScanStepCatalog
{
    /// <param name="discovery">DNS discovery.</param>
    /// <param name="session">The session probe.</param>
    /// <param name="certificates">The session chain's assessment.</param>
    /// <param name="sink">Where certificate DER is kept.</param>
    /// <param name="full">With it, the full depth's wire-level steps follow the session; their connectors must carry
    /// the census's politeness gate.</param>
    /// <param name="planned">What the census planner resolved (used within its TTL instead of DNS).</param>
    public static ScanStepRegistry Create(EndpointDiscovery discovery, XmppTlsSessionProbe session,
        CertificateAssessor certificates, ICertificateSink? sink = null, FullDepthParts? full = null, IPlannedDiscovery? planned = null) =>
        Create(new DiscoverStep(discovery, planned), session, certificates, sink, full);

    /// <summary>The same composition with another discover step (<c>xmppscan scan --connect</c> names its server).</summary>
    public static ScanStepRegistry Create(IScanStep discover, XmppTlsSessionProbe session,
        CertificateAssessor certificates, ICertificateSink? sink = null, FullDepthParts? full = null)
    {
        List<IScanStep> endpointSteps = [new SessionStep(session, certificates, sink)];
        if (full is not null)
        {
            endpointSteps.Add(new TlsAssessmentStep(full.Assessor, sink, full.Shares));
            endpointSteps.Add(full.Certificate);
            // The assessor's options can leave a phase out (scan --skip vulnerabilities,clients); a census runs both.
            if (full.Probes && full.Assessor.RunsVulnerabilities)
            {
                endpointSteps.Add(new VulnerabilitiesStep(full.Assessor, full.Shares));
            }

            if (full.Probes && full.Assessor.RunsClientSimulation)
            {
                endpointSteps.Add(new ClientSimulationStep(full.Assessor, full.Shares));
            }
        }

        return new ScanStepRegistry(discover, endpointSteps);
    }

    /// <summary>The endpoint steps <c>Create</c> composes at <paramref name="depth"/>, in order (for the progress
    /// display, which knows the depth before the node builds its steps); <paramref name="vulnerabilities"/> and
    /// <paramref name="clients"/> as the assessor's options say.</summary>
    public static IReadOnlyList<string> EndpointStepNames(ScanDepth depth, bool vulnerabilities = true, bool clients = true) => depth switch
    {
        ScanDepth.Session => [SessionStep.StepName],
        ScanDepth.Assessment => [SessionStep.StepName, TlsAssessmentStep.StepName, CertificateStep.StepName],
        _ => [SessionStep.StepName, TlsAssessmentStep.StepName, CertificateStep.StepName,
            .. vulnerabilities ? [VulnerabilitiesStep.StepName] : Array.Empty<string>(),
            .. clients ? [ClientSimulationStep.StepName] : Array.Empty<string>()],
    };
}

/// <summary>What the full depth's steps run on: the endpoint assessor (assessment, probes, clients) and the certificate
/// step (which needs the assessment's ECDSA finding, so it runs right after it). Without
/// <paramref name="Probes"/> (<c>--depth assessment</c>) the vulnerability probes and the client simulation are left out.
/// <see cref="Shares"/>: the endpoints of one address share a full TLS assessment after a verification (issue 14), over
/// everything these parts scan — one <c>xmppscan scan</c>, one census on one node — and then the results of the vulnerability
/// probes and the client simulation as far as each reaches; null assesses and probes every endpoint in full.</summary>
public sealed record FullDepthParts(EndpointAssessor Assessor, CertificateStep Certificate, bool Probes = true)
{
    public AssessmentShares? Shares { get; init; } = new();
}
