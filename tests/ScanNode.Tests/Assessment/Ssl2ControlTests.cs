using XmppScanCluster.ScanNode.Assessment;
using XmppScanCluster.ScanNode.Tests.Probes;
using XmppScanCluster.ScanNode.Tests.Support.Tls;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;
using Xunit.Abstractions;

namespace XmppScanCluster.ScanNode.Tests.Assessment;

/// <summary>
/// Issue 16: a close or silence to the SSLv2 CLIENT-HELLO is "not supported" only when a hello started after it is
/// answered (one the assessment sends anyway, else a control hello at the end: the first accepted TLS version and
/// suite), the rule every TLS version follows; otherwise SSLv2 is inconclusive with the reason, never a refusal.
/// </summary>
public class Ssl2ControlTests(ITestOutputHelper output)
{
    // Fake time (SilenceClock): every read of the assessment here is answered (a first flight up to ServerHelloDone,
    // an alert, a close or a reset) and the server declares no silence, so the clock never moves: a slow machine
    // cannot time out an answered read, and a read left waiting fails at the hang guard, not on a timer.

    private static readonly LegacyTlsPolicy Tls12Only = new()
    {
        ServerPreference = true,
        Suites = new() { [TlsVersion.Tls12] = [0x009C, 0x002F] },
    };

    private async Task<(TlsAssessmentReport Report, ProtocolAssessment Ssl2)> AssessAsync(FakeTlsServer server, int lanes = 1)
    {
        var options = new AssessmentOptions { MaxConnectionsPerServer = lanes };
        var (report, connections) = await new SilenceClock().RunAsync(server, async (factory, limits) =>
            (await new TlsAssessor(limits, options).AssessAsync(factory, "legacy.test", CancellationToken.None), factory.Connections));
        output.WriteLine(AssessmentText.Describe(report));
        Assert.Equal(connections, report.Connections.Total);
        Assert.Equal(report.Connections.Total, report.Connections.PerProbe.Sum(p => p.Connections));
        return (report, report.Protocols.Single(p => p.Protocol == "SSLv2"));
    }

    [Fact]
    public async Task ClosesOnSsl2_completesTls12_ssl2NotSupported_provenByOneCountedControlHelloAtTheEnd()
    {
        // The legacy server closes SSLv2 hellos (no cipher kinds) and answers TLS 1.2; the other versions get alerts.
        // No step after SSLv2 gets a ServerHello here (no ECDHE, no TLS 1.3), so the proof is one control hello.
        await using var server = LegacyTlsServer.Start(Tls12Only);

        var (report, ssl2) = await AssessAsync(server);

        Assert.True(report.Protocols.Single(p => p.Protocol == "TLSv1.2").Supported);
        Assert.False(ssl2.Supported);
        Assert.True(ssl2.Refused);
        Assert.Null(ssl2.Inconclusive);
        Assert.Null(report.Failure);
        Assert.Equal("closed (confirmed: a later hello was answered)", ssl2.Refusal);
        Assert.Equal(1, ssl2.Connections);
        Assert.Equal(1, report.Connections.PerProbe.Single(p => p.Probe == "control hello").Connections);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task ClosesEverythingAfterTheFirstConnection_ssl2Inconclusive_neverNotSupported(int lanes)
    {
        // Normal on the first connection (a TLS 1.2 ServerHello), then every later connection closed at once.
        await using var server = new FakeTlsServer().OnConnection(LegacyTlsServer.Answer(Tls12Only));

        var (report, ssl2) = await AssessAsync(server, lanes);

        Assert.False(ssl2.Supported);
        Assert.False(ssl2.Refused);
        Assert.Null(ssl2.Refusal);
        Assert.NotNull(ssl2.Inconclusive);
        Assert.Contains("control hello", ssl2.Inconclusive);
        Assert.Contains(ssl2.Errors, e => e.Message == ssl2.Inconclusive);
        // Every close after the first connection was read as a refusal while the assessment ran; none is one now.
        Assert.All(report.Protocols.Where(p => !p.Supported), p => Assert.False(p.Refused, $"{p.Protocol}: {p.Refusal}"));
        Assert.Contains("control hello", report.Failure?.Message);
    }
}
