using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Transport;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Scanning;

/// <summary>Fresh connections to one XMPP endpoint, positioned at the TLS handshake (after &lt;proceed/&gt; for STARTTLS).</summary>
public sealed class XmppEndpointConnections(XmppTlsConnector connector, XmppEndpoint endpoint) : ITlsConnectionFactory
{
    public async Task<TlsConnectionAttempt> OpenAsync(CancellationToken cancellationToken)
    {
        var start = await connector.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
        return start.Stream is { } stream
            ? TlsConnectionAttempt.Connected(stream)
            : TlsConnectionAttempt.Failed(start.Failure ?? new ProbeFailure(FailureKind.ConnectionClosed, "no stream"));
    }
}
