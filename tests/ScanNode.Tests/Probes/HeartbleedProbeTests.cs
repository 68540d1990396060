using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Tests.Support.Tls;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;
using static XmppScanCluster.ScanNode.Tests.Probes.VulnerabilityProbeTestSupport;

namespace XmppScanCluster.ScanNode.Tests.Probes;

public class HeartbleedProbeTests
{
    [Fact]
    public async Task OverReadingServer_echoesMoreThanSent_isVulnerable_withOnlyLengthsKept()
    {
        byte[]? request = null;
        await using var server = new FakeTlsServer().OnConnection(async c =>
        {
            await c.ExpectClientHelloAsync();
            await c.SendAsync(VulnerableServerFlights.Flight(0x0303,
                VulnerableServerFlights.ServerHelloBody(0x0303, extensions: VulnerableServerFlights.HeartbeatExtension)));
            var (type, payload) = await c.ExpectRecordAsync();
            Assert.Equal(24, type);
            request = payload;
            await c.SendAsync(VulnerableServerFlights.OverReadingHeartbeatResponse(0x0303, payload));
            await c.StaySilentAsync();
        });

        var r = await new SilenceClock().RunAsync(server, (factory, limits) => new HeartbleedProbe(factory, limits).RunAsync(Tls12Only, CancellationToken.None));

        Assert.Equal(ProbeStatus.Completed, r.Status);
        var f = r.Facts!;
        Assert.True(f.ExtensionNegotiated);
        Assert.Equal(1, f.HeartbeatMode);
        Assert.Equal(RecordReaction.Response, f.Reaction);
        Assert.True(f.Vulnerable);
        Assert.Equal(16, f.ExtraBytes);
        Assert.Equal(32, f.ResponsePayloadLength);
        Assert.Equal(1, r.Connections);
        // The request: heartbeat_request, payload_length 32, 16 payload + 16 padding bytes — no more.
        Assert.Equal(1, request![0]);
        Assert.Equal(32, (request[1] << 8) | request[2]);
        Assert.Equal(3 + 32, request.Length);
    }

    [Fact]
    public async Task FixedServerDiscardingTheRequest_isNotVulnerable()
    {
        // "No answer" is decided on fake time, moved only once the server holds the heartbeat request: the first flight
        // can never be the read that times out, however loaded the machine.
        var clock = new SilenceClock();
        await using var server = new FakeTlsServer().OnConnection(async c =>
        {
            await c.ExpectClientHelloAsync();
            await c.SendAsync(VulnerableServerFlights.Flight(0x0303,
                VulnerableServerFlights.ServerHelloBody(0x0303, extensions: VulnerableServerFlights.HeartbeatExtension)));
            await c.ExpectRecordAsync();
            clock.Silent();
            await c.StaySilentAsync(); // RFC 6520 §4: payload_length too large → discard silently
        });

        var r = await clock.RunAsync(server, (f, limits) => new HeartbleedProbe(f, limits).RunAsync(Tls12Only, CancellationToken.None));

        Assert.True(r.Facts!.ExtensionNegotiated);
        Assert.Equal(RecordReaction.NoAnswer, r.Facts.Reaction);
        Assert.False(r.Facts.Vulnerable);
        Assert.Equal(0, r.Facts.ExtraBytes);
    }

    [Fact]
    public async Task ServerAnsweringWithExactPayload_isNotVulnerable()
    {
        await using var server = new FakeTlsServer().OnConnection(async c =>
        {
            await c.ExpectClientHelloAsync();
            await c.SendAsync(VulnerableServerFlights.Flight(0x0303,
                VulnerableServerFlights.ServerHelloBody(0x0303, extensions: VulnerableServerFlights.HeartbeatExtension)));
            var (_, payload) = await c.ExpectRecordAsync();
            // A (non-conforming but harmless) server echoing only the 16 real payload bytes.
            await c.SendAsync(Tls.Fixtures.Record(24, 0x0303, Tls.Fixtures.Concat([0x02, 0x00, 0x10], payload[3..19], Tls.Fixtures.Repeat(0, 16))));
            await c.StaySilentAsync();
        });

        var r = await new SilenceClock().RunAsync(server, (f, limits) => new HeartbleedProbe(f, limits).RunAsync(Tls12Only, CancellationToken.None));

        Assert.Equal(RecordReaction.Response, r.Facts!.Reaction);
        Assert.Equal(16, r.Facts.ResponsePayloadLength);
        Assert.False(r.Facts.Vulnerable);
    }

    [Fact]
    public async Task OpenSslServer_noHeartbeatExtension_isNotVulnerable()
    {
        await using var server = await StartDefaultOpenSslAsync();

        var r = await new HeartbleedProbe(Factory(server), RealLimits).RunAsync(Tls12And13, CancellationToken.None);

        Assert.Equal(ProbeStatus.Completed, r.Status);
        Assert.False(r.Facts!.ExtensionNegotiated);
        Assert.False(r.Facts.Vulnerable);
        Assert.NotEqual(RecordReaction.Response, r.Facts.Reaction);
    }
}
