using XmppScanCluster.ScanNode.Assessment;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Tests.Probes;
using XmppScanCluster.ScanNode.Tests.Support.Tls;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;
using Xunit.Abstractions;

namespace XmppScanCluster.ScanNode.Tests.Assessment;

/// <summary>
/// Suites at the floor (issue 14): every candidate suite of a protocol in one ClientHello, the server's order read by
/// removal in that single offer; windows and merges only for a server that does not answer the long hello; a
/// client-order server detected as such. The scripted legacy server, whose suites are spread over the whole candidate
/// list (rare ciphers included), so that windows of 64 would need merges.
/// </summary>
public class OneOfferAssessmentTests(ITestOutputHelper output)
{
    // Fake time (SilenceClock): every read of the assessment here is answered (a first flight up to ServerHelloDone,
    // an alert, a close or a reset) and the server declares no silence, so the clock never moves: a slow machine
    // cannot time out an answered read, and a read left waiting fails at the hang guard, not on a timer.

    /// <summary>40 RSA-authenticated suites (static RSA and DHE) from all over the TLS 1.2 candidates, shuffled.</summary>
    private static ushort[] SpreadSuites(int seed)
    {
        var pool = SuiteCandidates.For(TlsVersion.Tls12, includeCredentialSuites: false)
            .Where(c => CipherSuiteRegistry.Find(c) is { Authentication: Authentication.Rsa, KeyExchange: KeyExchange.Rsa or KeyExchange.Dhe })
            .ToArray();
        new Random(seed).Shuffle(pool);
        return pool[..40];
    }

    private async Task<(TlsAssessmentReport Report, FakeTlsServer Server)> AssessAsync(LegacyTlsPolicy policy)
    {
        var server = LegacyTlsServer.Start(policy);
        var (report, connections) = await new SilenceClock().RunAsync(server, async (factory, limits) =>
            (await new TlsAssessor(limits).AssessAsync(factory, "legacy.test", CancellationToken.None), factory.Connections));
        output.WriteLine(AssessmentText.Describe(report));
        Assert.Equal(connections, report.Connections.Total);
        return (report, server);
    }

    private static int SuiteConnections(TlsAssessmentReport r, string protocol) =>
        r.Connections.PerProbe.Where(p => p.Probe == "suites " + protocol || p.Probe == "suite_order " + protocol).Sum(p => p.Connections);

    private static ProtocolAssessment Tls12(TlsAssessmentReport r) => r.Protocols.Single(p => p.Protocol == "TLSv1.2");

    [Fact]
    public async Task ServerOrderOverTheWholeCandidateList_oneOffer_oneHandshakePerSuitePlusRefusalAndRepeat()
    {
        var suites = SpreadSuites(14);
        var (r, server) = await AssessAsync(new LegacyTlsPolicy { ServerPreference = true, Suites = new() { [TlsVersion.Tls12] = suites } });
        await using var _ = server;

        Assert.Equal("full", r.HelloProfile);
        Assert.Equal(NegotiationOrder.Server, Tls12(r).SuiteOrder);
        Assert.Equal(suites, Tls12(r).Suites.Select(s => (ushort)s.Code));
        // 40 accepted, one refusal, the repeat check of a server order (issue 16, the pinned second offer): nothing to merge.
        Assert.Equal(suites.Length + 2, SuiteConnections(r, "TLSv1.2"));
        // The first hello carried every TLS 1.2 candidate.
        var first = TestClientHelloParser.Parse(server.ReceivedHellos[0]);
        Assert.Equal(SuiteCandidates.For(TlsVersion.Tls12, false).Count, first.CipherSuites.Length);
    }

    [Fact]
    public async Task ServerRefusingLongHellos_fallsBackToWindows_sameSuitesAndOrder()
    {
        var suites = SpreadSuites(7);
        // A limit between the windowed full hello (64 suites, padded) and the hello carrying every candidate.
        var candidates = SuiteCandidates.For(TlsVersion.Tls12, false);
        var windowed = ClientHelloBuilder.BuildRecords(AssessmentHello.Build(TlsVersion.Tls12, [.. candidates.Take(64)], "legacy.test", compact: false)).Length;
        var all = ClientHelloBuilder.BuildRecords(AssessmentHello.Build(TlsVersion.Tls12, [.. candidates], "legacy.test", compact: false)).Length;
        Assert.True(all > windowed + 100, $"one offer {all} bytes, window {windowed}");
        var limit = windowed + 50;

        var (r, server) = await AssessAsync(new LegacyTlsPolicy
        {
            ServerPreference = true,
            MaxHelloBytes = limit,
            Suites = new() { [TlsVersion.Tls12] = suites },
        });
        await using var _ = server;

        Assert.Equal("windowed", r.HelloProfile);
        Assert.Equal(Shared.Model.FailureKind.ConnectionClosed, r.FullHelloFailure!.Kind);
        Assert.Equal(NegotiationOrder.Server, Tls12(r).SuiteOrder);
        Assert.Equal(suites, Tls12(r).Suites.Select(s => (ushort)s.Code));
        Assert.All(server.ReceivedHellos.Skip(1).Where(h => (h[0] & 0x80) == 0), h => Assert.True(h.Length <= limit, $"hello of {h.Length} bytes"));
    }

    [Fact]
    public async Task ClientOrderServer_oneOffer_detectedAsClientOrder()
    {
        var suites = SpreadSuites(3)[..20];
        var (r, server) = await AssessAsync(new LegacyTlsPolicy { Suites = new() { [TlsVersion.Tls12] = suites } });
        await using var _ = server;

        Assert.Equal("full", r.HelloProfile);
        Assert.Equal(NegotiationOrder.Client, Tls12(r).SuiteOrder);
        Assert.Equal(suites.Order(), Tls12(r).Suites.Select(s => (ushort)s.Code));
        // 20 accepted and one refusal: the pinned second offer showed the client's order wins.
        Assert.Equal(suites.Length + 1, SuiteConnections(r, "TLSv1.2"));
    }

    [Fact]
    public async Task OneOfferOff_windowsAsBefore_sameFindings()
    {
        var suites = SpreadSuites(14);
        await using var server = LegacyTlsServer.Start(new LegacyTlsPolicy { ServerPreference = true, Suites = new() { [TlsVersion.Tls12] = suites } });
        var r = await new SilenceClock().RunAsync(server, (factory, limits) =>
            new TlsAssessor(limits, new AssessmentOptions { OneOfferPerProtocol = false }).AssessAsync(factory, "legacy.test", CancellationToken.None));

        Assert.Equal("windowed", r.HelloProfile);
        Assert.Equal(suites, Tls12(r).Suites.Select(s => (ushort)s.Code));
        Assert.True(SuiteConnections(r, "TLSv1.2") > suites.Length + 2, $"{SuiteConnections(r, "TLSv1.2")} connections");
    }
}
