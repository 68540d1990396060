using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Tests.Support.Tls;
using XmppScanCluster.Shared.Results;
using static XmppScanCluster.ScanNode.Tests.Probes.VulnerabilityProbeTestSupport;

namespace XmppScanCluster.ScanNode.Tests.Probes;

public class SessionResumptionProbeTests
{
    [Fact]
    public async Task ServerIssuingSessionIdAndTicket_bothRecorded()
    {
        await using var server = new FakeTlsServer().OnConnection(async c =>
        {
            await c.ExpectClientHelloAsync();
            await c.SendAsync(VulnerableServerFlights.Flight(0x0303, VulnerableServerFlights.ServerHelloBody(
                0x0303, sessionId: Tls.Fixtures.Repeat(0x42, 32), extensions: VulnerableServerFlights.SessionTicketExtension)));
            await c.StaySilentAsync();
        });

        var r = await new SilenceClock().RunAsync(server, (f, limits) => new SessionResumptionProbe(f, limits).RunAsync(Tls12Only, CancellationToken.None));

        Assert.Equal(ProbeStatus.Completed, r.Status);
        Assert.True(r.Facts!.SessionIdIssued);
        Assert.Equal(32, r.Facts.SessionIdLength);
        Assert.True(r.Facts.TicketExtensionAcknowledged);
        Assert.Null(r.Facts.SessionIdResumed); // the fake chose a suite the full-handshake client does not do
        Assert.NotNull(r.Note);
        var hello = TestClientHelloParser.Parse(server.ReceivedHellos.Single());
        Assert.Empty(hello.SessionId);
        Assert.Contains(hello.Extensions!, e => e.Type == 0x0023 && e.Data.Length == 0);
    }

    [Fact]
    public async Task ServerWithEmptySessionIdAndNoTicket_offersNoResumption()
    {
        await using var server = new FakeTlsServer().OnConnection(async c =>
        {
            await c.ExpectClientHelloAsync();
            await c.SendAsync(VulnerableServerFlights.Flight(0x0303, VulnerableServerFlights.ServerHelloBody(0x0303)));
            await c.StaySilentAsync();
        });

        var r = await new SilenceClock().RunAsync(server, (f, limits) => new SessionResumptionProbe(f, limits).RunAsync(Tls12Only, CancellationToken.None));

        Assert.False(r.Facts!.SessionIdIssued);
        Assert.False(r.Facts.TicketExtensionAcknowledged);
    }

    [Fact]
    public async Task OpenSslDefault_issuesTicket_andResumesWithIt()
    {
        await using var server = await StartDefaultOpenSslAsync();

        var r = await new SessionResumptionProbe(Factory(server), RealLimits).RunAsync(Tls12And13, CancellationToken.None);

        Assert.Equal(ProbeStatus.Completed, r.Status);
        Assert.Null(r.Note);
        Assert.True(r.Facts!.TicketExtensionAcknowledged);
        Assert.True(r.Facts.TicketLength > 0);
        Assert.True(r.Facts.TicketResumed);
        Assert.Equal("TLSv1.2", r.Facts.Protocol);
    }

    [Fact]
    public async Task OpenSslWithoutTickets_resumesBySessionId()
    {
        await using var server = await OpenSslServer.StartAsync("-no_ticket");

        var r = await new SessionResumptionProbe(Factory(server), RealLimits).RunAsync(Tls12And13, CancellationToken.None);

        Assert.False(r.Facts!.TicketExtensionAcknowledged);
        Assert.Null(r.Facts.TicketResumed);
        Assert.True(r.Facts.SessionIdIssued);
        Assert.True(r.Facts.SessionIdResumed);
        Assert.Equal(2, r.Connections);
    }

    [Fact]
    public async Task OpenSslWithoutCacheOrTickets_doesNotResume()
    {
        await using var server = await OpenSslServer.StartAsync("-no_ticket", "-no_cache");

        var r = await new SessionResumptionProbe(Factory(server), RealLimits).RunAsync(Tls12And13, CancellationToken.None);

        Assert.Equal(ProbeStatus.Completed, r.Status);
        Assert.NotEqual(true, r.Facts!.SessionIdResumed);
        Assert.Null(r.Facts.TicketResumed);
    }
}
