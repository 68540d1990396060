using XmppScanCluster.ScanNode.Assessment;
using XmppScanCluster.ScanNode.Tests.Probes;
using XmppScanCluster.ScanNode.Tests.Support.Tls;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;
using Xunit.Abstractions;

namespace XmppScanCluster.ScanNode.Tests.Assessment;

/// <summary>The assessment against the scripted legacy server: SSLv2, SSLv3, export, DES, RC4, 3DES,
/// 512-bit DH, long-hello intolerance, resets on unknown extensions.</summary>
public class FakeServerAssessmentTests(ITestOutputHelper output)
{
    // Fake time (SilenceClock): every read of the assessment here is answered (a first flight up to ServerHelloDone,
    // an alert, a close or a reset) and the server declares no silence, so the clock never moves: a slow machine
    // cannot time out an answered read, and a read left waiting fails at the hang guard, not on a timer.
    private async Task<TlsAssessmentReport> AssessAsync(FakeTlsServer server, TlsVersion? sessionVersion = null)
    {
        var (report, connections) = await new SilenceClock().RunAsync(server, async (factory, limits) =>
        {
            var assessor = new TlsAssessor(limits);
            var assessed = await assessor.AssessWithChainAsync(assessor.CreateCounter(factory), "legacy.test", sessionVersion, CancellationToken.None);
            return (assessed.Report, factory.Connections);
        });
        output.WriteLine(AssessmentText.Describe(report));
        Assert.Equal(connections, report.Connections.Total);
        return report;
    }

    private static ProtocolAssessment Protocol(TlsAssessmentReport r, string name) => r.Protocols.Single(p => p.Protocol == name);

    private static int[] Codes(ProtocolAssessment p) => [.. p.Suites.Select(s => s.Code)];

    [Fact]
    public async Task LegacyServer_ssl2Ssl3ExportDesRc4_reportedPerProtocol_inServerOrder()
    {
        await using var server = LegacyTlsServer.Start(new LegacyTlsPolicy
        {
            ServerPreference = true,
            Ssl2CipherKinds = [0x010080, 0x020080, 0x060040],
            Suites = new()
            {
                // SSLv3: RC4-SHA, EXP-RC4-MD5, DES-CBC-SHA, DES-CBC3-SHA.
                [TlsVersion.Ssl3] = [0x0005, 0x0003, 0x0009, 0x000A],
                // TLS 1.0: 3DES, EXP-EDH-RSA-DES-CBC-SHA (512-bit DH), RC4-MD5, ADH-DES-CBC3-SHA.
                [TlsVersion.Tls10] = [0x000A, 0x0014, 0x0004, 0x001B],
            },
        });

        var r = await AssessAsync(server);

        Assert.Equal(ProbeStatus.Completed, r.Status);
        var ssl2 = Protocol(r, "SSLv2");
        Assert.True(ssl2.Supported);
        Assert.Equal([0x010080, 0x020080, 0x060040], ssl2.Ssl2CipherKinds.Select(k => k.Code));
        Assert.Equal(1, ssl2.Connections);
        var ssl3 = Protocol(r, "SSLv3");
        Assert.Equal(NegotiationOrder.Server, ssl3.SuiteOrder);
        Assert.Equal([0x0005, 0x0003, 0x0009, 0x000A], Codes(ssl3));
        Assert.Equal("RSA 512 (export key)", ssl3.Suites.Single(s => s.Code == 0x0003).KeyExchange);
        var tls10 = Protocol(r, "TLSv1.0");
        Assert.Equal(NegotiationOrder.Server, tls10.SuiteOrder);
        Assert.Equal([0x000A, 0x0014, 0x0004, 0x001B], Codes(tls10));
        Assert.Equal(40, tls10.Suites.Single(s => s.Code == 0x0014).Bits);
        // The server negotiates TLS 1.0 when asked for 1.1/1.2: a lower version is a refusal.
        Assert.False(Protocol(r, "TLSv1.1").Supported);
        Assert.Equal("negotiated TLSv1.0", Protocol(r, "TLSv1.1").Refusal);
        Assert.False(Protocol(r, "TLSv1.2").Supported);
        Assert.False(Protocol(r, "TLSv1.3").Supported);
        var dh = Assert.Single(r.KeyExchange.DhGroups);
        Assert.Equal(512, dh.Bits);
        Assert.Equal("modssl_2_0_512", dh.Name);
        Assert.Equal("common_weak", dh.Origin);
        Assert.True(r.Connections.Total <= r.Connections.Floor + 10, $"{r.Connections.Total} vs floor {r.Connections.Floor}");
    }

    [Fact]
    public async Task ClientOrderLegacyServer_isClientOrder()
    {
        await using var server = LegacyTlsServer.Start(new LegacyTlsPolicy
        {
            Suites = new() { [TlsVersion.Tls12] = [0x009C, 0x002F, 0x000A] },
        });

        var r = await AssessAsync(server);

        var tls12 = Protocol(r, "TLSv1.2");
        Assert.Equal(NegotiationOrder.Client, tls12.SuiteOrder);
        Assert.Equal([0x000A, 0x002F, 0x009C], Codes(tls12));
        Assert.False(Protocol(r, "SSLv2").Supported);
    }

    [Fact]
    public async Task LongHelloIntolerantServer_usesCompactHello_notReportedAsNoTls()
    {
        await using var server = LegacyTlsServer.Start(new LegacyTlsPolicy
        {
            ServerPreference = true,
            MaxHelloBytes = 255,
            Suites = new() { [TlsVersion.Tls12] = [0x0035, 0x002F, 0x000A], [TlsVersion.Tls11] = [0x0035, 0x002F] },
        });

        var r = await AssessAsync(server);

        Assert.Equal(ProbeStatus.Completed, r.Status);
        Assert.Equal("compact", r.HelloProfile);
        Assert.Equal(Shared.Model.FailureKind.ConnectionClosed, r.FullHelloFailure!.Kind);
        Assert.Equal([0x0035, 0x002F, 0x000A], Codes(Protocol(r, "TLSv1.2")));
        Assert.Equal([0x0035, 0x002F], Codes(Protocol(r, "TLSv1.1")));
        Assert.All(server.ReceivedHellos.Skip(2).Where(h => (h[0] & 0x80) == 0), h => Assert.True(h.Length <= 255, $"hello of {h.Length} bytes"));
    }

    /// <summary>
    /// A session hint of TLS 1.3 that does not hold: the witness hello (TLS 1.3, carrying every TLS 1.2 extension,
    /// heartbeat included) is reset as the TLS 1.2 hello was, so the narrower shapes follow as without the hint — the
    /// same findings, one connection more.
    /// </summary>
    [Fact]
    public async Task ServerResettingOnUnknownExtension_aTls13HintThatDoesNotHold_sameFindingsInOneConnectionMore()
    {
        var policy = new LegacyTlsPolicy
        {
            ServerPreference = true,
            ResetOnExtension = 0x000F, // heartbeat
            Suites = new() { [TlsVersion.Tls12] = [0x009D, 0x0035], [TlsVersion.Tls10] = [0x0035] },
        };
        await using var plain = LegacyTlsServer.Start(policy);
        await using var hinted = LegacyTlsServer.Start(policy);

        var without = await AssessAsync(plain);
        var with = await AssessAsync(hinted, TlsVersion.Tls13);

        Assert.Equal("compact", with.HelloProfile);
        Assert.Equal(AssessmentText.Findings(without), AssessmentText.Findings(with));
        Assert.Equal(without.Connections.Total + 1, with.Connections.Total);
    }

    [Fact]
    public async Task ServerResettingOnUnknownExtension_usesCompactHello()
    {
        await using var server = LegacyTlsServer.Start(new LegacyTlsPolicy
        {
            ServerPreference = true,
            ResetOnExtension = 0x000F, // heartbeat
            Suites = new() { [TlsVersion.Tls12] = [0x009D, 0x0035], [TlsVersion.Tls10] = [0x0035] },
        });

        var r = await AssessAsync(server);

        Assert.Equal("compact", r.HelloProfile);
        Assert.Equal([0x009D, 0x0035], Codes(Protocol(r, "TLSv1.2")));
        Assert.Equal([0x0035], Codes(Protocol(r, "TLSv1.0")));
        Assert.False(Protocol(r, "TLSv1.1").Supported);
    }

    [Fact]
    public async Task ClosedPort_failsWithOneConnection()
    {
        var port = FreePort();
        var r = await new SilenceClock().RunAsync(new LoopbackConnectionFactory(port), (factory, limits) =>
            new TlsAssessor(limits).AssessAsync(factory, null, CancellationToken.None));
        Assert.Equal(ProbeStatus.Failed, r.Status);
        Assert.Equal(Shared.Model.FailureKind.Refused, r.Failure!.Kind);
        Assert.Equal(1, r.Connections.Total);
    }

    private static int FreePort()
    {
        var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        var port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
