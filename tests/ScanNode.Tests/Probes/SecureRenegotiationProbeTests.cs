using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Tests.Support.Tls;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;
using static XmppScanCluster.ScanNode.Tests.Probes.VulnerabilityProbeTestSupport;

namespace XmppScanCluster.ScanNode.Tests.Probes;

public class SecureRenegotiationProbeTests
{
    [Fact]
    public async Task LegacyServerWithoutRenegotiationInfo_isNotSecure_andHelloSignalsWithScsvOnly()
    {
        await using var server = new FakeTlsServer().OnConnection(async c =>
        {
            await c.ExpectClientHelloAsync();
            await c.SendAsync(VulnerableServerFlights.Flight(0x0303, VulnerableServerFlights.ServerHelloBody(0x0303)));
            await c.StaySilentAsync();
        });

        var r = await new SilenceClock().RunAsync(server, (f, limits) => new SecureRenegotiationProbe(f, limits).RunAsync(Tls12Only, CancellationToken.None));

        Assert.Equal(ProbeStatus.Completed, r.Status);
        Assert.False(r.Facts!.RenegotiationInfoReturned);
        Assert.Equal("TLSv1.2", r.Facts.Protocol);
        Assert.Equal(1, r.Connections);
        var hello = TestClientHelloParser.Parse(server.ReceivedHellos.Single());
        Assert.Equal(0x00FF, hello.CipherSuites[^1]);
        Assert.DoesNotContain(hello.Extensions!, e => e.Type == 0xFF01);
    }

    [Fact]
    public async Task Rfc5746Server_returnsEmptyRenegotiationInfo_isSecure()
    {
        await using var server = new FakeTlsServer().OnConnection(async c =>
        {
            await c.ExpectClientHelloAsync();
            await c.SendAsync(VulnerableServerFlights.Flight(0x0303,
                VulnerableServerFlights.ServerHelloBody(0x0303, extensions: VulnerableServerFlights.RenegotiationInfoExtension)));
            await c.StaySilentAsync();
        });

        var r = await new SilenceClock().RunAsync(server, (f, limits) => new SecureRenegotiationProbe(f, limits).RunAsync(Tls12Only, CancellationToken.None));

        Assert.True(r.Facts!.RenegotiationInfoReturned);
        Assert.Equal(0, r.Facts.RenegotiatedConnectionLength);
    }

    [Fact]
    public async Task Tls13OnlyServer_isSkipped_withoutConnecting()
    {
        var r = await new SecureRenegotiationProbe(new LoopbackConnectionFactory(1), FastLimits)
            .RunAsync(new VulnerabilityProbeContext(null, [TlsVersion.Tls13]), CancellationToken.None);

        Assert.Equal(ProbeStatus.Skipped, r.Status);
        Assert.Equal(0, r.Connections);
        Assert.NotNull(r.Note);
    }

    [Fact]
    public async Task ServerAlertingTheHello_isFailed_withTheAlert()
    {
        await using var server = new FakeTlsServer().OnConnection(async c =>
        {
            await c.ExpectClientHelloAsync();
            await c.SendAsync(VulnerableServerFlights.Alert(0x0303, 40));
        });

        var r = await new SilenceClock().RunAsync(server, (f, limits) => new SecureRenegotiationProbe(f, limits).RunAsync(Tls12Only, CancellationToken.None));

        Assert.Equal(ProbeStatus.Failed, r.Status);
        Assert.Equal(Shared.Model.FailureKind.TlsAlert, r.Failure!.Kind);
        Assert.Contains("handshake_failure", r.Failure.Message);
    }

    [Fact]
    public async Task OpenSslServer_answersScsvWithRenegotiationInfo_isSecure()
    {
        await using var server = await StartDefaultOpenSslAsync();

        var r = await new SecureRenegotiationProbe(Factory(server), RealLimits).RunAsync(Tls12And13, CancellationToken.None);

        Assert.Equal(ProbeStatus.Completed, r.Status);
        Assert.True(r.Facts!.RenegotiationInfoReturned);
        Assert.Equal(0, r.Facts.RenegotiatedConnectionLength);
        Assert.Equal("TLSv1.2", r.Facts.Protocol);
    }
}
