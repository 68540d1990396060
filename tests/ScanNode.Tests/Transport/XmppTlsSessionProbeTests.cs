using System.Net.Security;
using Microsoft.Extensions.Time.Testing;
using XmppScanCluster.ScanNode.Tests.Support.Tls;
using XmppScanCluster.ScanNode.Tests.Support.Xmpp;
using XmppScanCluster.ScanNode.Transport;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Xmpp;

namespace XmppScanCluster.ScanNode.Tests.Transport;

public class XmppTlsSessionProbeTests
{
    private static readonly XmppTlsSessionProbe Probe = new(TestLimits.Fast);

    [Fact]
    public async Task StartTls_fullSession_chainAsSent_postTlsFeatures_politeClose()
    {
        var (_, intermediate, leaf) = TestCertificates.Chain("example.test");
        await using var server = FakeXmppServer.Start(async c =>
        {
            await c.ExpectStreamHeaderAsync();
            await c.SendAsync(Xml.Header() + Xml.StartTlsRequired);
            await c.ExpectStartTlsAsync();
            await c.SendAsync(Xml.Proceed);
            await c.PeekAsync(2);
            await c.StartTlsAsync(leaf, [intermediate]);
            await c.ExpectStreamHeaderAsync();
            await c.SendAsync(Xml.Header(id: "second") + Xml.PostTlsFeatures);
            await c.ExpectAsync("</stream:stream>");
        });

        var result = await Probe.RunAsync(server.Endpoint("example.test"), CancellationToken.None);
        await server.Completion;

        Assert.Null(result.Failure);
        Assert.True(result.OnEngine);
        Assert.Equal([(byte)0x16, (byte)0x03], server.Connection!.Peeked);
        Assert.Equal("example.test", server.Connection.ClientSni);
        Assert.NotNull(result.Protocol);
        Assert.NotNull(result.CipherSuite);
        Assert.Null(result.NegotiatedAlpn);
        Assert.Equal([leaf.RawData, intermediate.RawData], result.PresentedChain);
        Assert.Equal("abc123", result.Xmpp.StreamId);
        Assert.Equal(StartTlsSupport.Required, result.Xmpp.PreTlsFeatures?.StartTls);
        Assert.Equal(["SCRAM-SHA-1-PLUS", "SCRAM-SHA-1", "EXTERNAL"], result.Xmpp.PostTlsFeatures?.SaslMechanisms);
        Assert.True(result.Xmpp.PostTlsFeatures?.Bind);
        Assert.True(result.Xmpp.StreamRestartAfterTlsWorked);
        Assert.Null(result.Xmpp.PeerCertificateRequired);
        Assert.True(result.Elapsed > TimeSpan.Zero);
    }

    [Theory]
    [InlineData(XmppMode.C2S, "xmpp-client")]
    [InlineData(XmppMode.S2S, "xmpp-server")]
    public async Task DirectTls_alpnAndSni_firstStreamOverTls(XmppMode mode, string alpn)
    {
        var cert = TestCertificates.SelfSigned("example.test");
        await using var server = FakeXmppServer.Start(async c =>
        {
            await c.StartTlsAsync(cert, alpn: [new SslApplicationProtocol(alpn)]);
            await c.ExpectStreamHeaderAsync();
            await c.SendAsync(Xml.Header(ns: mode.ContentNamespace()) + Xml.PostTlsFeatures);
            await c.ExpectAsync("</stream:stream>");
        });

        var result = await Probe.RunAsync(server.Endpoint("example.test", mode, TlsTransport.DirectTls), CancellationToken.None);
        await server.Completion;

        Assert.Null(result.Failure);
        Assert.Equal(alpn, result.NegotiatedAlpn);
        Assert.Equal("example.test", server.Connection!.ClientSni);
        Assert.Equal([cert.RawData], result.PresentedChain);
        Assert.Null(result.Xmpp.PreTlsFeatures);
        Assert.NotNull(result.Xmpp.PostTlsFeatures);
        Assert.Equal("abc123", result.Xmpp.StreamId);
        Assert.Null(result.Xmpp.StreamRestartAfterTlsWorked);
        Assert.Equal(mode == XmppMode.S2S ? false : null, result.Xmpp.PeerCertificateRequired);
    }

    [Theory]
    [InlineData("not-authorized")]
    [InlineData("policy-violation")]
    public async Task S2s_errorAfterTls_isPeerCertificateRequired_notAFailure(string condition)
    {
        var cert = TestCertificates.SelfSigned("example.test");
        await using var server = FakeXmppServer.Start(async c =>
        {
            var header = await c.ExpectStreamHeaderAsync();
            Assert.Contains("xmlns='jabber:server'", header);
            await c.SendAsync(Xml.Header(ns: "jabber:server") + Xml.StartTlsRequired);
            await c.ExpectStartTlsAsync();
            await c.SendAsync(Xml.Proceed);
            await c.StartTlsAsync(cert);
            await c.ExpectStreamHeaderAsync();
            await c.SendAsync(Xml.Header(ns: "jabber:server") + Xml.StreamError(condition, "present a certificate"));
        });

        var result = await Probe.RunAsync(server.Endpoint("example.test", XmppMode.S2S), CancellationToken.None);
        await server.Completion;

        Assert.Null(result.Failure);
        Assert.True(result.Xmpp.PeerCertificateRequired);
        Assert.Equal(condition, result.Xmpp.StreamError?.Condition);
        Assert.False(result.Xmpp.StreamRestartAfterTlsWorked);
        Assert.NotNull(result.Protocol);
    }

    [Fact]
    public async Task C2s_streamErrorAfterTls_isStreamErrorWithTlsFacts()
    {
        var cert = TestCertificates.SelfSigned("example.test");
        await using var server = FakeXmppServer.Start(async c =>
        {
            await c.ExpectStreamHeaderAsync();
            await c.SendAsync(Xml.Header() + Xml.StartTlsRequired);
            await c.ExpectStartTlsAsync();
            await c.SendAsync(Xml.Proceed);
            await c.StartTlsAsync(cert);
            await c.ExpectStreamHeaderAsync();
            await c.SendAsync(Xml.Header() + Xml.StreamError("internal-server-error"));
        });

        var result = await Probe.RunAsync(server.Endpoint(), CancellationToken.None);

        Assert.Equal(FailureKind.StreamError, result.Failure?.Kind);
        Assert.Null(result.Xmpp.PeerCertificateRequired);
        Assert.NotNull(result.CipherSuite);
        Assert.Single(result.PresentedChain);
    }

    [Fact]
    public async Task WarningAlertBeforeServerHello_isNoRefusal_theSessionCompletes()
    {
        var cert = TestCertificates.SelfSigned("example.test");
        await using var server = FakeXmppServer.Start(async c =>
        {
            await c.ExpectStreamHeaderAsync();
            await c.SendAsync(Xml.Header() + Xml.StartTlsRequired);
            await c.ExpectStartTlsAsync();
            await c.SendAsync(Xml.Proceed);
            // Alert { warning(1), unrecognized_name(112) } ahead of the real handshake, as some servers send for an SNI
            // they do not know (RFC 6066 §3); the ClientHello waits in the socket for the TLS server below.
            await c.SendBytesAsync([0x15, 0x03, 0x03, 0x00, 0x02, 0x01, 0x70]);
            await c.StartTlsAsync(cert);
            await c.ExpectStreamHeaderAsync();
            await c.SendAsync(Xml.Header(id: "second") + Xml.PostTlsFeatures);
            await c.ExpectAsync("</stream:stream>");
        });

        var result = await Probe.RunAsync(server.Endpoint(), CancellationToken.None);
        await server.Completion;

        Assert.Null(result.Failure);
        Assert.True(result.OnEngine);
        Assert.Equal(SessionClient.SystemDefault, result.Client);
        Assert.True(result.Xmpp.StreamRestartAfterTlsWorked);
    }

    [Fact]
    public async Task S2s_tls13CertificateRequiredAlert_isPeerCertificateRequired()
    {
        // A real OpenSSL server that requires a client certificate: with TLS 1.3 it checks our (empty) Certificate after
        // our Finished and sends certificate_required (RFC 8446 §4.4.2.4, alert 116) on the first read over TLS.
        await using var tls = await OpenSslServer.StartAsync("-tls1_3", "-Verify", "1");
        await using var relay = new StartTlsRelay(tls.Port);

        var result = await Probe.RunAsync(relay.Endpoint("example.test", XmppMode.S2S), CancellationToken.None);

        Assert.Null(result.Failure);
        Assert.True(result.OnEngine);
        Assert.True(result.Xmpp.PeerCertificateRequired);
        Assert.Equal(System.Security.Authentication.SslProtocols.Tls13, result.Protocol);
    }

    [Fact]
    public async Task FatalAlertInsteadOfServerHello_isTlsAlert()
    {
        await using var server = FakeXmppServer.Start(async c =>
        {
            await c.ExpectStreamHeaderAsync();
            await c.SendAsync(Xml.Header() + Xml.StartTlsRequired);
            await c.ExpectStartTlsAsync();
            await c.SendAsync(Xml.Proceed);
            await c.PeekAsync(5);
            // TLSPlaintext { type = alert(21), version = 3,3, length = 2 } Alert { fatal(2), handshake_failure(40) }
            await c.SendBytesAsync([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28]);
            await c.CloseAsync();
        });

        var result = await Probe.RunAsync(server.Endpoint(), CancellationToken.None);

        Assert.Equal(FailureKind.TlsAlert, result.Failure?.Kind);
        Assert.Null(result.Protocol);
        Assert.Empty(result.PresentedChain);
        Assert.Equal(StartTlsSupport.Required, result.Xmpp.PreTlsFeatures?.StartTls);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ServerHangsUpOrSendsGarbageAfterProceed_isTlsHandshakeFailed(bool garbage)
    {
        await using var server = FakeXmppServer.Start(async c =>
        {
            await c.ExpectStreamHeaderAsync();
            await c.SendAsync(Xml.Header() + Xml.StartTlsRequired);
            await c.ExpectStartTlsAsync();
            await c.SendAsync(Xml.Proceed);
            await c.PeekAsync(5);
            if (garbage) await c.SendAsync("<stream:error><internal-server-error/></stream:error>");
            await c.CloseAsync();
        });

        var result = await Probe.RunAsync(server.Endpoint(), CancellationToken.None);

        Assert.Equal(FailureKind.TlsHandshakeFailed, result.Failure?.Kind);
    }

    [Fact]
    public async Task PreambleFailure_isReportedWithoutTls()
    {
        await using var server = FakeXmppServer.Start(async c =>
        {
            await c.ExpectStreamHeaderAsync();
            await c.SendAsync(Xml.Header() + Xml.StreamError("host-unknown"));
        });

        var result = await Probe.RunAsync(server.Endpoint(), CancellationToken.None);

        Assert.Equal(FailureKind.StreamError, result.Failure?.Kind);
        Assert.Equal("host-unknown", result.Xmpp.StreamError?.Condition);
        Assert.Null(result.Protocol);
    }

    [Fact]
    public async Task ServerNeverAnswersClientHello_isTimeout()
    {
        // The read deadlines run on a fake clock, advanced only once the server has the ClientHello: the preamble can
        // never be the read that times out, however slow the machine (it was, with a real 300 ms, at load 40). Ten
        // minutes on the fake clock: were the deadlines on the real one, the test would end at its hang guard.
        var time = new FakeTimeProvider();
        var probe = new XmppTlsSessionProbe(TestLimits.Fast with
        {
            Clock = time, ReadTimeout = TimeSpan.FromMinutes(10), ConnectionTimeout = TimeSpan.FromMinutes(20),
        });
        var helloSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = FakeXmppServer.Start(async c =>
        {
            await c.ExpectStreamHeaderAsync();
            await c.SendAsync(Xml.Header() + Xml.StartTlsRequired);
            await c.ExpectStartTlsAsync();
            await c.SendAsync(Xml.Proceed);
            await c.PeekAsync(2);
            helloSeen.SetResult();
            await c.HangAsync();
        });

        var run = probe.RunAsync(server.Endpoint(), CancellationToken.None);
        await Task.WhenAny(helloSeen.Task, run);
        Assert.True(helloSeen.Task.IsCompleted, "the ClientHello never reached the server");
        var result = await time.RunAsync(run, TimeSpan.FromSeconds(10));

        Assert.Equal(FailureKind.Timeout, result.Failure?.Kind);
        Assert.Contains("TLS handshake", result.Failure!.Message);
        Assert.Contains("read timed out after 600000 ms", result.Failure.Message);
    }
}
