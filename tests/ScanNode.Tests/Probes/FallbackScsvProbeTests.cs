using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Tests.Support.Tls;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;
using static XmppScanCluster.ScanNode.Tests.Probes.VulnerabilityProbeTestSupport;

namespace XmppScanCluster.ScanNode.Tests.Probes;

public class FallbackScsvProbeTests
{
    [Fact]
    public async Task ServerContinuingAtLowerVersion_ignoresFallbackScsv_isNotSupported()
    {
        await using var server = new FakeTlsServer().OnConnection(async c =>
        {
            await c.ExpectClientHelloAsync();
            await c.SendAsync(VulnerableServerFlights.Flight(0x0302, VulnerableServerFlights.ServerHelloBody(0x0302)));
            await c.StaySilentAsync();
        });
        var context = new VulnerabilityProbeContext("localhost", [TlsVersion.Tls11, TlsVersion.Tls12]);

        var r = await new SilenceClock().RunAsync(server, (f, limits) => new FallbackScsvProbe(f, limits).RunAsync(context, CancellationToken.None));

        Assert.Equal(ProbeStatus.Completed, r.Status);
        Assert.Equal(FallbackReaction.HandshakeContinued, r.Facts!.Reaction);
        Assert.False(r.Facts.Supported);
        Assert.Equal("TLSv1.2", r.Facts.HighestProtocol);
        Assert.Equal("TLSv1.1", r.Facts.OfferedProtocol);
        Assert.Equal("TLSv1.1", r.Facts.NegotiatedProtocol);
        var hello = TestClientHelloParser.Parse(server.ReceivedHellos.Single());
        Assert.Equal(0x0302, hello.ClientVersion);
        Assert.Contains((ushort)0x5600, hello.CipherSuites);
    }

    [Fact]
    public async Task ServerSendingInappropriateFallback_isSupported()
    {
        await using var server = new FakeTlsServer().OnConnection(async c =>
        {
            await c.ExpectClientHelloAsync();
            await c.SendAsync(VulnerableServerFlights.Alert(0x0302, 86));
        });
        var context = new VulnerabilityProbeContext(null, [TlsVersion.Tls11, TlsVersion.Tls12]);

        var r = await new SilenceClock().RunAsync(server, (f, limits) => new FallbackScsvProbe(f, limits).RunAsync(context, CancellationToken.None));

        Assert.True(r.Facts!.Supported);
        Assert.Equal("inappropriate_fallback", r.Facts.Alert);
    }

    [Fact]
    public async Task ServerClosingEveryHelloWithoutAlert_isClosed_neitherSupportedNorIgnored()
    {
        // The SCSV hello and the control hello without it are both closed: nothing is proven either way.
        await using var server = new FakeTlsServer { EveryConnection = async c => await c.ExpectClientHelloAsync() };
        var context = new VulnerabilityProbeContext(null, [TlsVersion.Tls12, TlsVersion.Tls13]);

        var r = await new SilenceClock().RunAsync(server, (f, limits) => new FallbackScsvProbe(f, limits).RunAsync(context, CancellationToken.None));

        Assert.Equal(ProbeStatus.Completed, r.Status);
        Assert.Equal(FallbackReaction.Closed, r.Facts!.Reaction);
        Assert.False(r.Facts.Supported);
        Assert.False(r.Facts.Ignored);
        Assert.Equal(2, server.Accepted);
    }

    [Fact]
    public async Task ServerClosingWithoutAlertOnlyWithTheScsv_isSupported()
    {
        // Issue 15: a server that closes on every handshake failure. The control hello (no SCSV) gets a ServerHello.
        await using var server = new FakeTlsServer()
            .OnConnection(async c => await c.ExpectClientHelloAsync())
            .OnConnection(async c =>
            {
                var hello = await c.ExpectClientHelloAsync();
                Assert.DoesNotContain((ushort)0x5600, TestClientHelloParser.Parse(hello).CipherSuites);
                await c.SendAsync(VulnerableServerFlights.Flight(0x0302, VulnerableServerFlights.ServerHelloBody(0x0302)));
            });
        var context = new VulnerabilityProbeContext(null, [TlsVersion.Tls11, TlsVersion.Tls12]);

        var r = await new SilenceClock().RunAsync(server, (f, limits) => new FallbackScsvProbe(f, limits).RunAsync(context, CancellationToken.None));

        Assert.Equal(FallbackReaction.RefusedOnlyWithScsv, r.Facts!.Reaction);
        Assert.True(r.Facts.Supported);
        Assert.Equal(2, r.Connections);
    }

    [Fact]
    public async Task SingleVersionServer_isSkipped()
    {
        var r = await new FallbackScsvProbe(new LoopbackConnectionFactory(1), FastLimits)
            .RunAsync(new VulnerabilityProbeContext(null, [TlsVersion.Ssl2, TlsVersion.Tls12]), CancellationToken.None);

        Assert.Equal(ProbeStatus.Skipped, r.Status);
    }

    [Fact]
    public async Task OpenSslServer_tls13Capable_rejectsTls12WithFallbackScsv()
    {
        await using var server = await StartDefaultOpenSslAsync();

        var r = await new FallbackScsvProbe(Factory(server), RealLimits).RunAsync(Tls12And13, CancellationToken.None);

        Assert.Equal(ProbeStatus.Completed, r.Status);
        Assert.Equal(FallbackReaction.InappropriateFallbackAlert, r.Facts!.Reaction);
        Assert.True(r.Facts.Supported);
        Assert.Equal("TLSv1.3", r.Facts.HighestProtocol);
        Assert.Equal("TLSv1.2", r.Facts.OfferedProtocol);
    }
}
