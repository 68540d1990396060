using XmppScanCluster.ScanNode.Assessment;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Tests.Support.Tls;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using static XmppScanCluster.ScanNode.Tests.Probes.VulnerabilityProbeTestSupport;

namespace XmppScanCluster.ScanNode.Tests.Probes;

/// <summary>
/// The census and `scan` open every probe connection through a per-server gate of one connection at a time. A probe
/// that opens its next connection before closing the previous one waits for its own slot forever: seen on
/// static-RSA-only servers, which answer the resumption probe's AES-128-GCM hello with handshake_failure and then
/// keep the connection open (ours sat in CLOSE-WAIT; the scan never finished).
/// </summary>
public class SessionResumptionGateTests
{
    [Fact]
    public async Task HandshakeFailureOnTheFirstHello_closesItBeforeTheNextConnection_underAOneConnectionGate()
    {
        var connection = 0;
        await using var server = new FakeTlsServer().OnConnection(async c =>
        {
            await c.ExpectClientHelloAsync();
            if (Interlocked.Increment(ref connection) == 1)
            {
                await c.SendAsync(VulnerableServerFlights.Alert(0x0303, 40)); // handshake_failure, connection left open
            }
            else
            {
                await c.SendAsync(VulnerableServerFlights.Flight(0x0303, VulnerableServerFlights.ServerHelloBody(0x0303)));
            }

            await c.StaySilentAsync();
        });
        // The assessment's own gate: one connection open at a time, a slot held until the stream is disposed.
        var gate = new CountingConnectionFactory(Factory(server), maxConcurrent: 1);

        // A hang guard only: the assertion is on the outcome, which a deadlock turns into a cancelled probe.
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        // Every read is answered or closed: on a fake clock that never moves, however slow the machine.
        var r = await new SessionResumptionProbe(gate, new SilenceClock().Limits).RunAsync(Tls12Only, guard.Token);

        // Before the fix the follow-up hello waited for the first connection's slot until the guard fired.
        Assert.False(guard.IsCancellationRequested, "the probe waited for its own connection slot");
        Assert.NotEqual(FailureKind.Cancelled, r.Failure?.Kind);
        Assert.Equal(2, gate.Total);
    }
}
