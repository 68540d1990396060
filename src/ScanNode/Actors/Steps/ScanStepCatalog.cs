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
/// what <c>xmppscan scan</c>'s <see cref="DomainScanner"/> runs, one event each, so a crash resumes at the next phase.
/// </summary>
public static class ScanStepCatalog
{
    /// <param name="discovery">DNS discovery.</param>
    /// <param name="session">The session probe.</param>
    /// <param name="certificates">The session chain's assessment.</param>
    /// <param name="sink">Where certificate DER is kept.</param>
    /// <param name="full">With it, the full depth's wire-level steps follow the session; their connectors must carry
    /// the census's politeness gate.</param>
    public static ScanStepRegistry Create(EndpointDiscovery discovery, XmppTlsSessionProbe session,
        CertificateAssessor certificates, ICertificateSink? sink = null, FullDepthParts? full = null) =>
        new(new DiscoverStep(discovery), full is null
            ? [new SessionStep(session, certificates, sink)]
            : full.Probes
                ? [new SessionStep(session, certificates, sink), new TlsAssessmentStep(full.Assessor, sink), full.Certificate,
                    new VulnerabilitiesStep(full.Assessor), new ClientSimulationStep(full.Assessor)]
                : [new SessionStep(session, certificates, sink), new TlsAssessmentStep(full.Assessor, sink), full.Certificate]);

    /// <summary>The endpoint steps <see cref="Create"/> composes at <paramref name="depth"/>, in order (for the progress
    /// display, which knows the depth before the node builds its steps).</summary>
    public static IReadOnlyList<string> EndpointStepNames(ScanDepth depth) => depth switch
    {
        ScanDepth.Session => [SessionStep.StepName],
        ScanDepth.Assessment => [SessionStep.StepName, TlsAssessmentStep.StepName, CertificateStep.StepName],
        _ => [SessionStep.StepName, TlsAssessmentStep.StepName, CertificateStep.StepName, VulnerabilitiesStep.StepName,
            ClientSimulationStep.StepName],
    };
}

/// <summary>What the full depth's steps run on: the endpoint assessor (assessment, probes, clients) and the certificate
/// step (which needs the assessment's ECDSA finding, so it runs right after it, as in <c>DomainScanner</c>). Without
/// <paramref name="Probes"/> (<c>--depth assessment</c>) the vulnerability probes and the client simulation are left out.</summary>
public sealed record FullDepthParts(EndpointAssessor Assessor, CertificateStep Certificate, bool Probes = true);
