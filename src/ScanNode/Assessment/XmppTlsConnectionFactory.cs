using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Transport;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Assessment;

/// <summary>
/// Connections to one XMPP endpoint for the wire-level probes: each <see cref="OpenAsync"/> is a new TCP
/// connection plus, for STARTTLS, the XMPP preamble up to <c>&lt;proceed/&gt;</c> (direct TLS: the bare
/// socket). The stream is handed over at the first TLS byte.
/// </summary>
public sealed class XmppTlsConnectionFactory(XmppTlsConnector connector, XmppEndpoint endpoint) : ITlsConnectionFactory
{
    public XmppEndpoint Endpoint => endpoint;

    public async Task<TlsConnectionAttempt> OpenAsync(CancellationToken cancellationToken)
    {
        var start = await connector.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
        return start.Stream is { } stream
            ? TlsConnectionAttempt.Connected(stream)
            : TlsConnectionAttempt.Failed(start.Failure ?? new ProbeFailure(FailureKind.ConnectionClosed, "no stream"));
    }
}
