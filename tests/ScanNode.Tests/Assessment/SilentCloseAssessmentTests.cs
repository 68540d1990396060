using XmppScanCluster.ScanNode.Assessment;
using XmppScanCluster.ScanNode.Tests.Support.Tls;
using XmppScanCluster.Shared.Results;
using Xunit.Abstractions;

namespace XmppScanCluster.ScanNode.Tests.Assessment;

/// <summary>
/// The assessment against a real OpenSSL server that closes without an alert on every failed handshake (Python's
/// asyncio, as ejabberd 23.01 does), TLS 1.3 only: the first version tried, TLS 1.2, meets a close before any hello
/// was accepted. It is judged at the end, like every later close, by a hello started after it that got an answer:
/// not supported, as nmap reports it, instead of inconclusive. Here the TLS 1.3 group order check, sent after the
/// last close anyway, is that hello: no control hello is needed.
/// </summary>
public class SilentCloseAssessmentTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Tls13Only_closesOnTls12BeforeAnythingWasAccepted_tls12NotSupported_provenByALaterHelloWithoutAControlHello(int lanes)
    {
        await using var server = await OpenSslServer.StartSilentAsync("-tls1_3");
        var factory = new LoopbackConnectionFactory(server.Port);
        var counter = new CountingConnectionFactory(factory, maxConcurrent: lanes);

        var r = await new TlsAssessor(OpenSslAssessmentTests.Limits).AssessAsync(counter, "localhost", CancellationToken.None);
        output.WriteLine(AssessmentText.Describe(r));

        Assert.Equal(ProbeStatus.Completed, r.Status);
        var tls13 = r.Protocols.Single(p => p.Protocol == "TLSv1.3");
        Assert.True(tls13.Supported);
        Assert.Equal([0x1301, 0x1302, 0x1303], tls13.Suites.Select(s => (int)s.Code).Order());
        foreach (var p in r.Protocols.Where(p => p.Protocol != "TLSv1.3"))
        {
            Assert.False(p.Supported, p.Protocol);
            Assert.True(p.Refused, $"{p.Protocol}: {p.Inconclusive}");
            Assert.Equal("closed (confirmed: a later hello was answered)", p.Refusal);
            Assert.Empty(p.Errors);
        }

        Assert.Null(r.Failure);
        Assert.DoesNotContain(r.Connections.PerProbe, p => p.Probe == "control hello");
        Assert.True(r.Connections.PerProbe.Single(p => p.Probe == "tls13_group_order").Connections > 0);
        Assert.Equal(factory.Connections, r.Connections.Total);
        Assert.Equal(r.Connections.Total, r.Connections.PerProbe.Sum(p => p.Connections));
    }

    /// <summary>
    /// With the session's hint that the server speaks TLS 1.3, TLS 1.2's close is put to the witness hello (TLS 1.3,
    /// carrying the whole TLS 1.2 hello as well) instead of two narrower TLS 1.2 hellos, and the witness's answer is
    /// the first TLS 1.3 offer's: the same findings as without the hint, two connections fewer.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Tls13Only_withTheSessionsTls13Hint_sameFindingsInTwoConnectionsFewer(int lanes)
    {
        await using var server = await OpenSslServer.StartSilentAsync("-tls1_3");

        async Task<TlsAssessmentReport> Assess(Shared.Tls.TlsVersion? hint)
        {
            var counter = new CountingConnectionFactory(new LoopbackConnectionFactory(server.Port), maxConcurrent: lanes);
            var chain = await new TlsAssessor(OpenSslAssessmentTests.Limits).AssessWithChainAsync(counter, "localhost", hint, CancellationToken.None);
            output.WriteLine(AssessmentText.Describe(chain.Report));
            return chain.Report;
        }

        var without = await Assess(null);
        var with = await Assess(Shared.Tls.TlsVersion.Tls13);

        Assert.Equal(AssessmentText.Findings(without), AssessmentText.Findings(with));
        // In lanes, whether a control hello ends either run depends on which lane's hello came last: not counted.
        Assert.Equal(without.Connections.Total - AssessmentText.ControlHellos(without) - 2, with.Connections.Total - AssessmentText.ControlHellos(with));
        Assert.Equal(2, with.Connections.PerProbe.Single(p => p.Probe == "suites TLSv1.2").Connections);
        Assert.Equal("closed (confirmed: a later hello was answered)", with.Protocols.Single(p => p.Protocol == "TLSv1.2").Refusal);
    }
}
