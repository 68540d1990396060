using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Assessment;

/// <summary>
/// The connections the wire-level phases of one endpoint share: the XMPP/TLS factory (pipelining, throttling seen)
/// behind the counter that labels and counts every connection per probe.
/// </summary>
public sealed record EndpointConnections(XmppTlsConnectionFactory Factory, CountingConnectionFactory Counter)
{
    public XmppEndpoint Endpoint => Factory.Endpoint;
}
