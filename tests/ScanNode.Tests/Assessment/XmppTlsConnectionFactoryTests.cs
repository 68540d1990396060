using System.Net;
using System.Net.Sockets;
using XmppScanCluster.ScanNode.Assessment;
using XmppScanCluster.ScanNode.Tests.Support.Xmpp;
using XmppScanCluster.ScanNode.Transport;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Tests.Assessment;

/// <summary>The pipelined STARTTLS preamble and its fallback, against a server that objects to pipelining.</summary>
public class XmppTlsConnectionFactoryTests
{
    [Fact]
    public async Task ServerRejectsPipelinedStartTls_connectionRetriedPlain_andPipeliningStops()
    {
        using var stop = new CancellationTokenSource();
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var pipelinedSeen = 0;
        var proceeded = 0;
        var server = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(stop.Token);
                _ = Task.Run(async () =>
                {
                    using var _ = client;
                    await using var xmpp = new FakeXmppConnection(client.GetStream(), stop.Token);
                    try
                    {
                        // Transcript: header → (pipelined <starttls/> already there? stream error) → features →
                        // <starttls/> → <proceed/>.
                        await xmpp.ExpectStreamHeaderAsync();
                        if (xmpp.Received.Contains("<starttls", StringComparison.Ordinal))
                        {
                            Interlocked.Increment(ref pipelinedSeen);
                            await xmpp.SendAsync(Xml.Header() + Xml.StreamError("policy-violation", "wait for the features"));
                            return;
                        }

                        await xmpp.SendAsync(Xml.Header() + Xml.StartTlsRequired);
                        await xmpp.ExpectStartTlsAsync();
                        // Counted before <proceed/> goes out: the client returns as soon as it reads it, and the
                        // test's asserts must not race this handler (CI once read 1 of 2).
                        Interlocked.Increment(ref proceeded);
                        await xmpp.SendAsync(Xml.Proceed);
                        await xmpp.ExpectAsync("never sent");
                    }
                    catch (Exception e) when (e is IOException or EndOfStreamException or OperationCanceledException or SocketException)
                    {
                        // The client closes after <proceed/>.
                    }
                });
            }
        });

        var limits = TestLimits.Fast;
        var endpoint = new XmppEndpoint(Domain: "example.test", Mode: XmppMode.C2S, Transport: TlsTransport.StartTls, Target: "xmpp.example.test", Address: IPAddress.Loopback,
            Port: ((IPEndPoint)listener.LocalEndpoint).Port, Priority: 0, Weight: 0, Source: EndpointSource.Explicit);
        var factory = new XmppTlsConnectionFactory(new XmppTlsConnector(limits), endpoint,
            new XmppTlsConnector(limits, new XmppConnectorOptions { PipelineStartTls = true }));

        await using (var first = await factory.OpenAsync(CancellationToken.None))
        {
            Assert.NotNull(first.Stream);
        }

        await using (var second = await factory.OpenAsync(CancellationToken.None))
        {
            Assert.NotNull(second.Stream);
        }

        Assert.Equal(1, pipelinedSeen);
        Assert.Equal(2, proceeded);
        Assert.Equal(0, factory.PipelinedConnections);
        Assert.Equal(FailureKind.StreamError, factory.PipelineFailure?.Kind);
        stop.Cancel();
        listener.Stop();
    }
}
