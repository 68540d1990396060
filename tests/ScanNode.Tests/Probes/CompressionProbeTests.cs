using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Tests.Support.Tls;
using XmppScanCluster.Shared.Results;
using static XmppScanCluster.ScanNode.Tests.Probes.VulnerabilityProbeTestSupport;

namespace XmppScanCluster.ScanNode.Tests.Probes;

public class CompressionProbeTests
{
    [Fact]
    public async Task ServerChoosingDeflate_isCompressed()
    {
        await using var server = new FakeTlsServer().OnConnection(async c =>
        {
            await c.ExpectClientHelloAsync();
            await c.SendAsync(VulnerableServerFlights.Flight(0x0303, VulnerableServerFlights.ServerHelloBody(0x0303, compression: 1)));
            await c.StaySilentAsync();
        });

        var r = await new SilenceClock().RunAsync(server, (f, limits) => new CompressionProbe(f, limits).RunAsync(Tls12Only, CancellationToken.None));

        Assert.Equal(ProbeStatus.Completed, r.Status);
        Assert.True(r.Facts!.Compressed);
        Assert.Equal(1, r.Facts.SelectedMethod);
        Assert.Equal([1, 0], r.Facts.OfferedMethods);
        Assert.Equal([1, 0], TestClientHelloParser.Parse(server.ReceivedHellos.Single()).CompressionMethods);
    }

    [Fact]
    public async Task OpenSslServer_choosesNull_isNotCompressed()
    {
        await using var server = await StartDefaultOpenSslAsync();

        var r = await new CompressionProbe(Factory(server), RealLimits).RunAsync(Tls12And13, CancellationToken.None);

        Assert.Equal(ProbeStatus.Completed, r.Status);
        Assert.False(r.Facts!.Compressed);
        Assert.Equal(0, r.Facts.SelectedMethod);
    }
}
