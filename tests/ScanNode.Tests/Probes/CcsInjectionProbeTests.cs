using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Tests.Support.Tls;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;
using static XmppScanCluster.ScanNode.Tests.Probes.VulnerabilityProbeTestSupport;

namespace XmppScanCluster.ScanNode.Tests.Probes;

public class CcsInjectionProbeTests
{
    [Fact]
    public async Task ServerAcceptingEarlyCcs_thenFailingTheMac_isVulnerable()
    {
        // Silence after the first CCS is decided on fake time; the alert to the second is awaited, the clock stopped.
        var clock = new SilenceClock();
        await using var server = new FakeTlsServer().OnConnection(async c =>
        {
            await c.ExpectClientHelloAsync();
            await c.SendAsync(VulnerableServerFlights.Flight(0x0303, VulnerableServerFlights.ServerHelloBody(0x0303)));
            var first = await c.ExpectRecordAsync();
            Assert.Equal((byte)20, first.Type);
            Assert.Equal([1], first.Payload);
            clock.Silent();
            // OpenSSL 1.0.1g: the early CCS switches the read state; the next record fails its MAC.
            await c.ExpectRecordAsync();
            await c.SendAsync(VulnerableServerFlights.Alert(0x0303, 20));
        });

        var r = await clock.RunAsync(server, (f, limits) => new CcsInjectionProbe(f, limits).RunAsync(Tls12Only, CancellationToken.None));

        Assert.Equal(ProbeStatus.Completed, r.Status);
        Assert.Equal(RecordReaction.NoAnswer, r.Facts!.FirstReaction);
        Assert.Equal(RecordReaction.Alert, r.Facts.SecondReaction);
        Assert.Equal("bad_record_mac", r.Facts.SecondAlert);
        Assert.True(r.Facts.Vulnerable);
    }

    [Theory]
    [InlineData(TlsVersion.Ssl3)]
    [InlineData(TlsVersion.Tls10)]
    [InlineData(TlsVersion.Tls11)]
    public async Task ServerAcceptingEarlyCcs_atOlderVersions_isVulnerable(TlsVersion version)
    {
        var v = (ushort)version;
        var clock = new SilenceClock();
        await using var server = new FakeTlsServer().OnConnection(async c =>
        {
            var hello = TestClientHelloParser.Parse(await c.ExpectClientHelloAsync());
            Assert.Equal(v, hello.ClientVersion);
            await c.SendAsync(VulnerableServerFlights.Flight(v, VulnerableServerFlights.ServerHelloBody(v)));
            await c.ExpectRecordAsync();
            clock.Silent();
            await c.ExpectRecordAsync();
            await c.SendAsync(VulnerableServerFlights.Alert(v, 21)); // decryption_failed
        });

        var r = await clock.RunAsync(server, (f, limits) =>
            new CcsInjectionProbe(f, limits).RunAsync(new VulnerabilityProbeContext(null, [version]), CancellationToken.None));

        Assert.Equal(version.Name(), r.Facts!.Protocol);
        Assert.Equal("decryption_failed", r.Facts.SecondAlert);
        Assert.True(r.Facts.Vulnerable);
    }

    [Fact]
    public async Task ServerSilentThroughout_isIndeterminate()
    {
        var clock = new SilenceClock();
        await using var server = new FakeTlsServer().OnConnection(async c =>
        {
            await c.ExpectClientHelloAsync();
            await c.SendAsync(VulnerableServerFlights.Flight(0x0303, VulnerableServerFlights.ServerHelloBody(0x0303)));
            await c.ExpectRecordAsync();
            clock.Silent();
            await c.ExpectRecordAsync();
            clock.Silent();
            await c.StaySilentAsync();
        });

        var r = await clock.RunAsync(server, (f, limits) => new CcsInjectionProbe(f, limits).RunAsync(Tls12Only, CancellationToken.None));

        Assert.Equal(RecordReaction.NoAnswer, r.Facts!.FirstReaction);
        Assert.Equal(RecordReaction.NoAnswer, r.Facts.SecondReaction);
        Assert.Null(r.Facts.Vulnerable);
    }

    [Fact]
    public async Task ServerAlertingUnexpectedMessage_isNotVulnerable_withOneCcsSent()
    {
        var received = new TaskCompletionSource<List<byte>>();
        await using var server = new FakeTlsServer().OnConnection(async c =>
        {
            await c.ExpectClientHelloAsync();
            await c.SendAsync(VulnerableServerFlights.Flight(0x0303, VulnerableServerFlights.ServerHelloBody(0x0303)));
            await c.ExpectRecordAsync();
            await c.SendAsync(VulnerableServerFlights.Alert(0x0303, 10));
            received.SetResult(await c.RecordTypesUntilQuietAsync(TimeSpan.FromSeconds(60))); // until the probe closes
        });

        var r = await new SilenceClock().RunAsync(server, (f, limits) => new CcsInjectionProbe(f, limits).RunAsync(Tls12Only, CancellationToken.None));

        Assert.Equal(RecordReaction.Alert, r.Facts!.FirstReaction);
        Assert.Equal("unexpected_message", r.Facts.FirstAlert);
        Assert.Null(r.Facts.SecondReaction);
        Assert.False(r.Facts.Vulnerable);
        Assert.Empty(await received.Task.WaitAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task OpenSslServer_refusesEarlyCcs_isNotVulnerable()
    {
        await using var server = await StartDefaultOpenSslAsync();

        var r = await new CcsInjectionProbe(Factory(server), RealLimits).RunAsync(Tls12And13, CancellationToken.None);

        Assert.Equal(ProbeStatus.Completed, r.Status);
        Assert.Equal(RecordReaction.Alert, r.Facts!.FirstReaction);
        Assert.Equal("unexpected_message", r.Facts.FirstAlert);
        Assert.False(r.Facts.Vulnerable);
    }
}
