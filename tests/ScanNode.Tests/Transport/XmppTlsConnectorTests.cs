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
        // "random-N": pieces of 1..22 bytes from seed N (fixed, so a failing delivery replays).
        var random = new Random(how.StartsWith("random-", StringComparison.Ordinal) ? int.Parse(how["random-".Length..], System.Globalization.CultureInfo.InvariantCulture) : 0);
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

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task BytesAfterProceedInTheSameSegment_reachTheStreamHandedToTls(bool pipelined)
    {
        // The preamble is read in chunks (issue 14): what a server sends right behind <proceed/>, in the same
        // segment, must still be the first thing the TLS layer reads, as when the XML reader got one byte per read.
        var connector = new XmppTlsConnector(TestLimits.Fast, new XmppConnectorOptions { PipelineStartTls = pipelined });
        await using var server = FakeXmppServer.Start(async c =>
        {
            await c.ExpectStreamHeaderAsync();
            if (!pipelined) await c.SendAsync(Xml.Header() + Xml.StartTlsRequired);
            await c.ExpectStartTlsAsync();
            await c.SendAsync((pipelined ? Xml.Header() + Xml.StartTlsRequired : "") + Xml.Proceed + "\u0016after>");
            await c.ExpectAsync("done");
        });

        await using var result = await connector.ConnectAsync(server.Endpoint(), CancellationToken.None);
        Assert.Null(result.Failure);
        var first = new byte[7];
        await result.Stream!.ReadExactlyAsync(first);
        await result.Stream.WriteAsync("done"u8.ToArray());
        await server.Completion;

        Assert.Equal("\u0016after>", System.Text.Encoding.ASCII.GetString(first));
        Assert.Equal(StartTlsSupport.Required, result.Xmpp.PreTlsFeatures?.StartTls);
    }
}
