using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using XmppScanCluster.ScanNode.Tests.Support.Xmpp;
using XmppScanCluster.ScanNode.Transport;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Xmpp;

namespace XmppScanCluster.ScanNode.Tests.Transport;

public class XmppTlsConnectorTests
{
    private static readonly XmppTlsConnector Connector = new(TestLimits.Fast);

    private static Func<FakeXmppConnection, Task> UpToProceed(string features, Func<FakeXmppConnection, Task>? afterProceed = null) => async c =>
    {
        await c.ExpectStreamHeaderAsync();
        await c.SendAsync(Xml.Header() + features);
        await c.ExpectStartTlsAsync();
        await c.SendAsync(Xml.Proceed);
        if (afterProceed is not null) await afterProceed(c);
    };

    [Fact]
    public async Task StartTlsRequired_streamIsPositionedAtTheClientHello()
    {
        var cert = TestCertificates.SelfSigned("example.test");
        await using var server = FakeXmppServer.Start(UpToProceed(Xml.StartTlsRequired, async c =>
        {
            await c.PeekAsync(2);
            await c.StartTlsAsync(cert);
        }));

        await using var result = await Connector.ConnectAsync(server.Endpoint(), CancellationToken.None);
        Assert.Null(result.Failure);
        Assert.NotNull(result.Stream);
        await using var tls = new SslStream(result.Stream, leaveInnerStreamOpen: true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "example.test",
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        });
        await server.Completion;

        Assert.Equal([(byte)0x16, (byte)0x03], server.Connection!.Peeked);
        Assert.Equal(StartTlsSupport.Required, result.Xmpp.PreTlsFeatures!.StartTls);
        Assert.Equal("abc123", result.Xmpp.StreamId);
        Assert.Equal("example.test", result.Xmpp.From);
        Assert.Equal("1.0", result.Xmpp.Version);
        Assert.Null(result.Xmpp.PostTlsFeatures);
    }

    public static TheoryData<string> Deliveries => ["whole", "byte-by-byte", "random-7", "random-8"];

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task StartTlsOptional_anyDelivery_offeredWithTheOtherFeatures(string how)
    {
        var random = new Random(how.Length);
        Func<int, int> pieces = how switch
        {
            "whole" => _ => int.MaxValue,
            "byte-by-byte" => _ => 1,
            _ => _ => random.Next(1, 23),
        };
        await using var server = FakeXmppServer.Start(async c =>
        {
            await c.ExpectStreamHeaderAsync();
            await c.SendInPiecesAsync(Xml.Header() + Xml.StartTlsOptional, pieces);
            await c.ExpectStartTlsAsync();
            await c.SendInPiecesAsync(Xml.Proceed, pieces);
        });

        await using var result = await Connector.ConnectAsync(server.Endpoint(), CancellationToken.None);
        await server.Completion;

        Assert.Null(result.Failure);
        var features = result.Xmpp.PreTlsFeatures!;
        Assert.Equal(StartTlsSupport.Offered, features.StartTls);
        Assert.Equal(["PLAIN"], features.SaslMechanisms);
        Assert.Equal(["zlib"], features.CompressionMethods);
    }

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
    public async Task SilentServer_isTimeout_quickly()
    {
        var limits = TestLimits.Fast with { ReadTimeout = TimeSpan.FromMilliseconds(300) };
        await using var server = FakeXmppServer.Start(c => c.HangAsync());
        var clock = Stopwatch.StartNew();

        await using var result = await new XmppTlsConnector(limits).ConnectAsync(server.Endpoint(), CancellationToken.None);

        Assert.Equal(FailureKind.Timeout, result.Failure?.Kind);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), clock.Elapsed.ToString());
    }

    [Fact]
    public async Task SlowTrickle_isStoppedByTheConnectionDeadline()
    {
        var limits = TestLimits.Fast with { ReadTimeout = TimeSpan.FromSeconds(1), ConnectionTimeout = TimeSpan.FromMilliseconds(700) };
        await using var server = FakeXmppServer.Start(async c =>
        {
            await c.ExpectStreamHeaderAsync();
            await c.SendAsync(Xml.Header() + "<stream:features>");
            for (int i = 0; i < 100; i++)
            {
                await Task.Delay(100);
                await c.SendAsync("<x xmlns='urn:x'/>");
            }
        });

        await using var result = await new XmppTlsConnector(limits).ConnectAsync(server.Endpoint(), CancellationToken.None);

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

    [Theory]
    [InlineData(XmppMode.C2S, "xmlns='jabber:client'", null)]
    [InlineData(XmppMode.S2S, "xmlns='jabber:server'", "from='scanner.invalid'")]
    public async Task Header_matchesTheMode_toIsTheDomain(XmppMode mode, string contentNamespace, string? from)
    {
        var connector = new XmppTlsConnector(TestLimits.Fast, new XmppConnectorOptions { S2sFromDomain = "scanner.invalid" });
        string? header = null;
        await using var server = FakeXmppServer.Start(async c =>
        {
            header = await c.ExpectStreamHeaderAsync();
            await c.SendAsync(Xml.Header(ns: mode.ContentNamespace()) + Xml.StartTlsRequired);
            await c.ExpectStartTlsAsync();
            await c.SendAsync(Xml.Proceed);
        });

        await using var result = await connector.ConnectAsync(server.Endpoint("example.test", mode), CancellationToken.None);
        await server.Completion;

        Assert.Null(result.Failure);
        Assert.Contains(contentNamespace, header);
        Assert.Contains("to='example.test'", header);
        if (from is null) Assert.DoesNotContain("from=", header);
        else Assert.Contains(from, header);
        Assert.Equal(mode == XmppMode.S2S, header!.Contains("xmlns:db='jabber:server:dialback'"));
    }

    [Fact]
    public async Task DirectTls_streamRightAfterConnect_nothingSent()
    {
        await using var server = FakeXmppServer.Start(async c => await c.PeekAsync(2));

        await using var result = await Connector.ConnectAsync(server.Endpoint(transport: TlsTransport.DirectTls), CancellationToken.None);
        await result.Stream!.WriteAsync(new byte[] { 0x16, 0x03 });
        await server.Completion;

        Assert.Null(result.Failure);
        Assert.Equal(XmppStreamFacts.Empty, result.Xmpp);
        Assert.Equal("", server.Connection!.Received);
    }

    [Fact]
    public async Task ClosedPort_isRefused()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var endpoint = new XmppEndpoint("example.test", XmppMode.C2S, TlsTransport.StartTls, "example.test",
            IPAddress.Loopback, port, 0, 0, EndpointSource.Explicit);

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

    [Fact]
    public async Task Pipelined_headerAndStartTlsInOneWrite_beforeAnyServerByte()
    {
        var cert = TestCertificates.SelfSigned("example.test");
        var connector = new XmppTlsConnector(TestLimits.Fast, new XmppConnectorOptions { PipelineStartTls = true });
        await using var server = FakeXmppServer.Start(async c =>
        {
            await c.ExpectStreamHeaderAsync();
            await c.ExpectStartTlsAsync();
            await c.SendAsync(Xml.Header() + Xml.StartTlsRequired + Xml.Proceed);
            await c.PeekAsync(2);
            await c.StartTlsAsync(cert);
        });

        await using var result = await connector.ConnectAsync(server.Endpoint(), CancellationToken.None);
        Assert.Null(result.Failure);
        await using var tls = new SslStream(result.Stream!, leaveInnerStreamOpen: true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "example.test",
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        });
        await server.Completion;

        Assert.Equal([(byte)0x16, (byte)0x03], server.Connection!.Peeked);
        Assert.Equal(StartTlsSupport.Required, result.Xmpp.PreTlsFeatures?.StartTls);
    }
}
