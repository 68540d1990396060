using System.Net;
using System.Security.Authentication;
using XmppScanCluster.ScanNode.Scanning;
using XmppScanCluster.ScanNode.Transport;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Xmpp;

namespace XmppScanCluster.ScanNode.Tests.Scanning;

/// <summary>When the session (an endpoint's first connection) allows the later ones to pipeline STARTTLS.</summary>
public class PipelineProvenTests
{
    private static XmppEndpoint Endpoint(TlsTransport transport) =>
        new("example.test", XmppMode.C2S, transport, "xmpp.example.test", IPAddress.Loopback, 5222, 0, 0, EndpointSource.Explicit);

    private static TlsSessionResult Session(StartTlsSupport? starttls, SslProtocols? protocol, StreamErrorInfo? error = null) => new(
        XmppStreamFacts.Empty with
        {
            PreTlsFeatures = starttls is { } s ? new XmppFeatures(s, [], [], false, false, []) : null,
            StreamError = error,
        },
        protocol, null, null, [], null, TimeSpan.Zero);

    [Theory]
    [InlineData(StartTlsSupport.Required)]
    [InlineData(StartTlsSupport.Offered)]
    public void StartTlsOfferedAndNegotiated_isProven(StartTlsSupport support) =>
        Assert.True(EndpointOutcome.PipelineProven(Endpoint(TlsTransport.StartTls), Session(support, SslProtocols.Tls13)));

    [Fact]
    public void HandshakeNotCompleted_isNotProven() =>
        Assert.False(EndpointOutcome.PipelineProven(Endpoint(TlsTransport.StartTls), Session(StartTlsSupport.Required, null)));

    [Fact]
    public void StartTlsNotOffered_isNotProven() =>
        Assert.False(EndpointOutcome.PipelineProven(Endpoint(TlsTransport.StartTls), Session(StartTlsSupport.NotOffered, SslProtocols.Tls12)));

    [Fact]
    public void DirectTls_hasNoPreambleToPipeline() =>
        Assert.False(EndpointOutcome.PipelineProven(Endpoint(TlsTransport.DirectTls), Session(null, SslProtocols.Tls13)));
}
