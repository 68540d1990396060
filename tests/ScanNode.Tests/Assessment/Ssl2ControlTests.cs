using XmppScanCluster.ScanNode.Assessment;
using XmppScanCluster.ScanNode.Tests.Probes;
using XmppScanCluster.ScanNode.Tests.Support.Tls;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;
using Xunit.Abstractions;

namespace XmppScanCluster.ScanNode.Tests.Assessment;

/// <summary>
/// Issue 16: a close or silence to the SSLv2 CLIENT-HELLO is "not supported" only when a control hello (the first
/// accepted TLS version and suite) is answered afterwards, the rule every TLS version follows; otherwise SSLv2 is
/// inconclusive with the reason, never a refusal.
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

    private async Task<(TlsAssessmentReport Report, ProtocolAssessment Ssl2)> AssessAsync(FakeTlsServer server)
    {
        var (report, connections) = await new SilenceClock().RunAsync(server, async (factory, limits) =>
            (await new TlsAssessor(limits).AssessAsync(factory, "legacy.test", CancellationToken.None), factory.Connections));
        output.WriteLine(AssessmentText.Describe(report));
        Assert.Equal(connections, report.Connections.Total);
        Assert.Equal(report.Connections.Total, report.Connections.PerProbe.Sum(p => p.Connections));
        return (report, report.Protocols.Single(p => p.Protocol == "SSLv2"));
    }

    [Fact]
    public async Task ClosesOnSsl2_completesTls12_ssl2NotSupported_confirmedByOneCountedControlHello()
    {
        // The legacy server closes SSLv2 hellos (no cipher kinds) and answers TLS 1.2; the other versions get alerts,
        // so nothing before SSLv2 sent the control hello.
        await using var server = LegacyTlsServer.Start(Tls12Only);

        var (report, ssl2) = await AssessAsync(server);

        Assert.True(report.Protocols.Single(p => p.Protocol == "TLSv1.2").Supported);
        Assert.False(ssl2.Supported);
        Assert.True(ssl2.Refused);
        Assert.Null(ssl2.Inconclusive);
        Assert.Equal("closed (confirmed: a control hello was answered)", ssl2.Refusal);
        // The SSLv2 CLIENT-HELLO and the control hello, both counted under SSLv2.
        Assert.Equal(2, ssl2.Connections);
        Assert.Equal(2, report.Connections.PerProbe.Single(p => p.Probe == "SSLv2").Connections);
    }

    [Fact]
    public async Task ClosesEverythingAfterTheFirstConnection_ssl2Inconclusive_neverNotSupported()
    {
        // Normal on the first connection (a TLS 1.2 ServerHello), then every later connection closed at once.
        await using var server = new FakeTlsServer().OnConnection(LegacyTlsServer.Answer(Tls12Only));

        var (report, ssl2) = await AssessAsync(server);

        Assert.False(ssl2.Supported);
        Assert.False(ssl2.Refused);
        Assert.Null(ssl2.Refusal);
        Assert.NotNull(ssl2.Inconclusive);
        Assert.Contains("control hello", ssl2.Inconclusive);
        Assert.Contains(ssl2.Errors, e => e.Message == ssl2.Inconclusive);
    }
}
