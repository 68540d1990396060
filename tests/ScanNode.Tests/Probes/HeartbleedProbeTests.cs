using Microsoft.Extensions.Time.Testing;
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

        var r = await new HeartbleedProbe(Factory(server), FastLimits).RunAsync(Tls12Only, CancellationToken.None);

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
        // "No answer" is decided on a fake clock, advanced only once the server holds the heartbeat request: the first
        // flight can never be the read that times out, however loaded the machine. Ten minutes of fake time per read:
        // were the session's deadlines on the real clock, the test would end at the clock's hang guard.
        var time = new FakeTimeProvider();
        var limits = FastLimits with { Clock = time, ReadTimeout = TimeSpan.FromMinutes(10), ConnectionTimeout = TimeSpan.FromMinutes(30) };
        var requestSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new FakeTlsServer().OnConnection(async c =>
        {
            await c.ExpectClientHelloAsync();
            await c.SendAsync(VulnerableServerFlights.Flight(0x0303,
                VulnerableServerFlights.ServerHelloBody(0x0303, extensions: VulnerableServerFlights.HeartbeatExtension)));
            await c.ExpectRecordAsync();
            requestSeen.SetResult();
            await c.StaySilentAsync(); // RFC 6520 §4: payload_length too large → discard silently
        });

        var run = new HeartbleedProbe(Factory(server), limits).RunAsync(Tls12Only, CancellationToken.None);
        await Task.WhenAny(requestSeen.Task, run);
        Assert.True(requestSeen.Task.IsCompleted, "the heartbeat request never reached the server");
        var r = await time.RunAsync(run, TimeSpan.FromMinutes(1));

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

        var r = await new HeartbleedProbe(Factory(server), FastLimits).RunAsync(Tls12Only, CancellationToken.None);

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
