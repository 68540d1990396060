using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using XmppScanCluster.ScanNode.Tests.Support.Xmpp;
using XmppScanCluster.ScanNode.Transport;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Xmpp;

namespace XmppScanCluster.ScanNode.Tests.Transport;

/// <summary>Every way the clear-text part can fail, and how it is classified.</summary>
public class XmppTlsConnectorFailureTests
{
    private static readonly XmppTlsConnector Connector = new(TestLimits.Fast);

    [Fact]
    public async Task FailureAfterStartTls_isStartTlsRejected_featuresKept()
    {
        await using var server = FakeXmppServer.Start(async c =>
        {
            await c.ExpectStreamHeaderAsync();
            await c.SendAsync(Xml.Header() + Xml.StartTlsRequired);
            await c.ExpectStartTlsAsync();
            await c.SendAsync(Xml.Failure + "</stream:stream>");
        });

        await using var result = await Connector.ConnectAsync(server.Endpoint(), CancellationToken.None);

        Assert.Equal(FailureKind.StartTlsRejected, result.Failure?.Kind);
        Assert.Null(result.Stream);
        Assert.Equal(StartTlsSupport.Required, result.Xmpp.PreTlsFeatures?.StartTls);
    }

    [Theory]
    [InlineData("host-unknown", null)]
    [InlineData("policy-violation", null)]
    [InlineData("see-other-host", "xmpp2.example.test:5222")]
    public async Task StreamError_isClassifiedAndRecorded(string condition, string? otherHost)
    {
        await using var server = FakeXmppServer.Start(async c =>
        {
            await c.ExpectStreamHeaderAsync();
            await c.SendAsync(Xml.Header() + Xml.StreamError(condition, "go away", otherHost));
        });

        await using var result = await Connector.ConnectAsync(server.Endpoint(), CancellationToken.None);

        Assert.Equal(FailureKind.StreamError, result.Failure?.Kind);
        Assert.Contains(condition, result.Failure!.Message);
        Assert.Equal(condition, result.Xmpp.StreamError?.Condition);
        Assert.Equal("go away", result.Xmpp.StreamError?.Text);
        Assert.Equal(otherHost, result.Xmpp.StreamError?.OtherHost);
    }

    [Fact]
    public async Task NoStartTlsFeature_isStartTlsNotOffered()
    {
        await using var server = FakeXmppServer.Start(async c =>
        {
            await c.ExpectStreamHeaderAsync();
            await c.SendAsync(Xml.Header() + Xml.PostTlsFeatures);
            await c.HangAsync();
        });

        await using var result = await Connector.ConnectAsync(server.Endpoint(), CancellationToken.None);

        Assert.Equal(FailureKind.StartTlsNotOffered, result.Failure?.Kind);
        Assert.Equal(["SCRAM-SHA-1-PLUS", "SCRAM-SHA-1", "EXTERNAL"], result.Xmpp.PreTlsFeatures?.SaslMechanisms);
    }

    [Fact]
    public async Task SilentServer_isTimeout()
    {
        // Deadlines on fake time: the read timeout (one minute) is due long before the connection's (ten).
        var time = new FakeTimeProvider();
        var limits = TestLimits.Fast with { Clock = time, ReadTimeout = TimeSpan.FromMinutes(1), ConnectionTimeout = TimeSpan.FromMinutes(10) };
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = FakeXmppServer.Start(async c =>
        {
            await c.ExpectStreamHeaderAsync();
            waiting.SetResult(); // connected, and the connector now waits for the server's header
            await c.HangAsync();
        });

        var connecting = new XmppTlsConnector(limits).ConnectAsync(server.Endpoint(), CancellationToken.None);
        await waiting.Task.WaitAsync(TimeSpan.FromSeconds(60)); // hang guard, never a verdict
        var from = time.GetUtcNow();
        await using var result = await time.RunAsync(connecting, TimeSpan.FromSeconds(10));

        Assert.Equal(FailureKind.Timeout, result.Failure?.Kind);
        Assert.InRange(time.GetUtcNow() - from, limits.ReadTimeout, limits.ConnectionTimeout);
    }

    [Fact]
    public async Task SlowTrickle_isStoppedByTheConnectionDeadline()
    {
        // The server moves the fake clock 100 ms before each element: each read is answered well within its 10 minutes,
        // so only the connection's 700 ms can end the 10 s trickle with a timeout (without it the script ends and closes).
        var time = new FakeTimeProvider();
        var limits = TestLimits.Fast with { Clock = time, ReadTimeout = TimeSpan.FromMinutes(10), ConnectionTimeout = TimeSpan.FromMilliseconds(700) };
        await using var server = FakeXmppServer.Start(async c =>
        {
            await c.ExpectStreamHeaderAsync();
            await c.SendAsync(Xml.Header() + "<stream:features>");
            for (int i = 0; i < 100; i++)
            {
                time.Advance(TimeSpan.FromMilliseconds(100));
                await c.SendAsync("<x xmlns='urn:x'/>");
            }
        });

        await using var result = await new XmppTlsConnector(limits).ConnectAsync(server.Endpoint(), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(60)); // hang guard, never a verdict

        Assert.Equal(FailureKind.Timeout, result.Failure?.Kind);
    }

    [Fact]
    public async Task EndlessFeatures_isLimitExceeded()
    {
        var limits = TestLimits.Fast with { MaxXmppPreambleBytes = 4096 };
        await using var server = FakeXmppServer.Start(async c =>
        {
            await c.ExpectStreamHeaderAsync();
            await c.SendAsync(Xml.Header() + "<stream:features>");
            var chunk = string.Concat(Enumerable.Repeat("<feature xmlns='urn:example:endless'/>", 100));
            for (int i = 0; i < 10; i++) await c.SendAsync(chunk);
            await c.HangAsync();
        });

        await using var result = await new XmppTlsConnector(limits).ConnectAsync(server.Endpoint(), CancellationToken.None);

        Assert.Equal(FailureKind.LimitExceeded, result.Failure?.Kind);
    }

    [Theory]
    [InlineData("<?xml version='1.0'?><!DOCTYPE stream [<!ENTITY lol 'lol'>]><stream:stream xmlns:stream='http://etherx.jabber.org/streams'>")]
    [InlineData("HTTP/1.1 400 Bad Request\r\n\r\n")]
    public async Task DtdOrNotXml_isProtocolError(string reply)
    {
        await using var server = FakeXmppServer.Start(async c =>
        {
            await c.ExpectStreamHeaderAsync();
            await c.SendAsync(reply);
            await c.HangAsync();
        });

        await using var result = await Connector.ConnectAsync(server.Endpoint(), CancellationToken.None);

        Assert.Equal(FailureKind.ProtocolError, result.Failure?.Kind);
    }

    [Fact]
    public async Task EntityInFeatures_isProtocolError()
    {
        await using var server = FakeXmppServer.Start(async c =>
        {
            await c.ExpectStreamHeaderAsync();
            await c.SendAsync(Xml.Header() + "<stream:features><x xmlns='urn:x'>&xxe;</x></stream:features>");
            await c.HangAsync();
        });

        await using var result = await Connector.ConnectAsync(server.Endpoint(), CancellationToken.None);

        Assert.Equal(FailureKind.ProtocolError, result.Failure?.Kind);
    }

    [Theory]
    [InlineData("<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'>")]
    [InlineData("")]
    [InlineData("</stream:stream>")]
    public async Task EofBeforeFeaturesEnd_isConnectionClosed(string partial)
    {
        await using var server = FakeXmppServer.Start(async c =>
        {
            await c.ExpectStreamHeaderAsync();
            await c.SendAsync(Xml.Header() + partial);
            await c.CloseAsync();
        });

        await using var result = await Connector.ConnectAsync(server.Endpoint(), CancellationToken.None);

        Assert.Equal(FailureKind.ConnectionClosed, result.Failure?.Kind);
    }

    [Fact]
    public async Task ClosedPort_isRefused()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var endpoint = new XmppEndpoint(Domain: "example.test", Mode: XmppMode.C2S, Transport: TlsTransport.StartTls, Target: "example.test",
            Address: IPAddress.Loopback, Port: port, Priority: 0, Weight: 0, Source: EndpointSource.Explicit);

        await using var result = await Connector.ConnectAsync(endpoint, CancellationToken.None);

        Assert.Equal(FailureKind.Refused, result.Failure?.Kind);
    }

    [Fact]
    public async Task CallerCancels_throwsOperationCanceled()
    {
        await using var server = FakeXmppServer.Start(c => c.HangAsync());
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Connector.ConnectAsync(server.Endpoint(), cts.Token));
    }
}
