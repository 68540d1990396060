using XmppScanCluster.ScanNode.Assessment;
using XmppScanCluster.ScanNode.Dns;
using XmppScanCluster.ScanNode.Scanning;
using XmppScanCluster.ScanNode.Transport;
using XmppScanCluster.Shared.Messages;

namespace XmppScanCluster.ScanNode.Actors.Steps;

/// <summary>
/// The one place that composes the steps: discover, then on every endpoint the session (preamble, handshake,
/// certificate) and, at <see cref="ScanDepth.Full"/>, the TLS assessment (protocols, suites, key exchange), the
/// vulnerability probes and the client simulation — the phases of <c>xmppscan scan</c>'s
/// <see cref="EndpointAssessor"/>, one event each, so a crash resumes at the next phase.
/// </summary>
public static class ScanStepCatalog
{
    /// <param name="discovery">DNS discovery.</param>
    /// <param name="session">The session probe.</param>
    /// <param name="certificates">The session chain's assessment.</param>
    /// <param name="sink">Where certificate DER is kept.</param>
    /// <param name="assessor">With one, the full depth's wire-level steps follow the session; its connector must
    /// carry the census's politeness gate.</param>
    public static ScanStepRegistry Create(EndpointDiscovery discovery, XmppTlsSessionProbe session,
        CertificateAssessor certificates, ICertificateSink? sink = null, EndpointAssessor? assessor = null) =>
        new(new DiscoverStep(discovery), assessor is null
            ? [new SessionStep(session, certificates, sink)]
            : [new SessionStep(session, certificates, sink), new TlsAssessmentStep(assessor), new VulnerabilitiesStep(assessor),
                new ClientSimulationStep(assessor)]);
}
