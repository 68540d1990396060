using XmppScanCluster.ScanNode.Dns;
using XmppScanCluster.ScanNode.Scanning;
using XmppScanCluster.ScanNode.Transport;

namespace XmppScanCluster.ScanNode.Actors.Steps;

/// <summary>
/// The one place that composes today's steps: discover, then the session (preamble, handshake, certificate).
/// The TLS assessment (protocols, suites, key exchange) and the vulnerability probes add their steps to the
/// endpoint list here.
/// </summary>
public static class ScanStepCatalog
{
    public static ScanStepRegistry Create(EndpointDiscovery discovery, XmppTlsSessionProbe session,
        CertificateAssessor certificates, ICertificateSink? sink = null) =>
        new(new DiscoverStep(discovery), [new SessionStep(session, certificates, sink)]);
}
