using System.Net;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Transport;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Tests.Support.Tls;

/// <summary>
/// XMPP STARTTLS connections to a loopback server (tests only): each open is TCP + stream header + features
/// + <c>&lt;starttls/&gt;</c>/<c>&lt;proceed/&gt;</c> through the real <see cref="XmppTlsConnector"/>, handed
/// over at the first TLS byte.
/// </summary>
internal sealed class StartTlsConnectionFactory : ITlsConnectionFactory
{
    private readonly XmppTlsConnector _connector;
    private readonly XmppEndpoint _endpoint;

    public StartTlsConnectionFactory(string domain, IPAddress address, int port, ScanLimits limits)
    {
        if (!IPAddress.IsLoopback(address)) throw new InvalidOperationException("tests connect to loopback only");
        _connector = new XmppTlsConnector(limits);
        _endpoint = new XmppEndpoint(Domain: domain, Mode: XmppMode.C2S, Transport: TlsTransport.StartTls, Target: domain, Address: address, Port: port, Priority: 0, Weight: 0, Source: EndpointSource.Explicit);
    }

    public int Connections { get; private set; }

    public async Task<TlsConnectionAttempt> OpenAsync(CancellationToken cancellationToken)
    {
        Connections++;
        var start = await _connector.ConnectAsync(_endpoint, cancellationToken);
        return start.Stream is { } stream
            ? TlsConnectionAttempt.Connected(stream)
            : TlsConnectionAttempt.Failed(start.Failure ?? new ProbeFailure(FailureKind.ConnectionClosed, "no stream"));
    }
}
