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
}
