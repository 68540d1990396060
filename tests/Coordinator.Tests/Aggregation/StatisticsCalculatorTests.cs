using XmppScanCluster.Coordinator.Aggregation;
using XmppScanCluster.Shared.Certificates;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Xmpp;
using static XmppScanCluster.Coordinator.Tests.Aggregation.Reports;

namespace XmppScanCluster.Coordinator.Tests.Aggregation;

public sealed class StatisticsCalculatorTests
{
    private static CensusStatistics Compute(params RegionResult[] results) =>
        StatisticsCalculator.Compute("test", "eu", results, results);

    private static int Of(IReadOnlyList<Count> counts, string key) => counts.FirstOrDefault(c => c.Key == key)?.Domains ?? 0;

    [Fact]
    public void NoServiceDomain_countsAsNotResponding_andIsNotGraded()
    {
        var s = Compute(new RegionResult("eu", Domain("a.test", Endpoint("a")), Grade("A", "A")), new RegionResult("eu", NoService("b.test"), null));
        Assert.Equal((2, 1, 1), (s.Results, s.Responding, s.NotResponding));
        Assert.Equal(1, Of(s.Grades, "A"));
        Assert.Equal(0.5, s.Grades[0].Share);
    }

    [Fact]
    public void GradesWithAndWithoutTrust_areCountedSeparately()
    {
        var s = Compute(
            new RegionResult("eu", Domain("a.test", Endpoint("a", trust: [TrustProblem.Expired])), Grade("T", "A")),
            new RegionResult("eu", Domain("b.test", Endpoint("b", nameMatches: false)), Grade("M", "B")),
            new RegionResult("eu", Domain("c.test", Endpoint("c")), Grade("A", "A")));
        Assert.Equal([("A", 1), ("M", 1), ("T", 1)], s.Grades.Select(c => (c.Key, c.Domains)));
        Assert.Equal([("A", 2), ("B", 1)], s.GradesIgnoringTrust.Select(c => (c.Key, c.Domains)));
        Assert.Equal(1, Of(s.TrustCauses, "expired"));
        Assert.Equal(1, Of(s.TrustCauses, "wrong_name"));
    }

    [Fact]
    public void SelfSignedLeafAndSelfSignedInChain_areDistinctCauses()
    {
        var s = Compute(
            new RegionResult("eu", Domain("a.test", Endpoint("a", trust: [TrustProblem.SelfSignedLeaf])), Grade("T", "A")),
            new RegionResult("eu", Domain("b.test", Endpoint("b", trust: [TrustProblem.SelfSignedRootInChainUnknown])), Grade("T", "A")));
        Assert.Equal(1, Of(s.TrustCauses, "self_signed"));
        Assert.Equal(1, Of(s.TrustCauses, "self_signed_in_chain"));
    }

    [Fact]
    public void WeakExportAndNoForwardSecrecy_areFeatures()
    {
        AcceptedSuite[] legacy = [new(0x0003, "TLS_RSA_EXPORT_WITH_RC4_40_MD5", 40, false, false, "RSA 512 (export)"),
            new(0x0009, "TLS_RSA_WITH_DES_CBC_SHA", 56, false, false, "RSA")];
        var s = Compute(
            new RegionResult("eu", Domain("old.test", Endpoint("old", protocols: ["TLSv1.0"], suites: legacy, sasl: ["PLAIN"])), Grade("F", "F")),
            new RegionResult("eu", Domain("new.test", Endpoint("new")), Grade("A", "A")));
        Assert.Equal(1, Of(s.Features, "weak_suites"));
        Assert.Equal(1, Of(s.Features, "export_suites"));
        Assert.Equal(1, Of(s.Features, "forward_secrecy_none"));
        Assert.Equal(1, Of(s.Features, "forward_secrecy_all"));
        Assert.Equal(1, Of(s.Features, "sasl_plain_before_tls"));
        Assert.Equal(1, Of(s.Features, "tls13"));
        Assert.Equal([("TLSv1.0", 1), ("TLSv1.2", 1), ("TLSv1.3", 1)], s.Protocols.Select(c => (c.Key, c.Domains)));
    }

    [Fact]
    public void StartTlsRequired_needsEveryStartTlsEndpoint()
    {
        var s = Compute(
            new RegionResult("eu", Domain("a.test", Endpoint("a1"), Endpoint("a2", address: "127.0.0.2", startTls: StartTlsSupport.Offered)), Grade("A", "A")),
            new RegionResult("eu", Domain("b.test", Endpoint("b1"), Endpoint("b2", port: 5223, transport: TlsTransport.DirectTls)), Grade("A", "A")));
        Assert.Equal(1, Of(s.Features, "starttls_required_c2s"));
        Assert.Equal(1, Of(s.Features, "direct_tls"));
    }

    [Fact]
    public void KeysIssuersAndSharedKeys_areCountedPerDomain()
    {
        var s = Compute(
            new RegionResult("eu", Domain("a.test", Endpoint("a", spki: "shared")), Grade("A", "A")),
            new RegionResult("eu", Domain("b.test", Endpoint("b", spki: "shared")), Grade("A", "A")),
            new RegionResult("eu", Domain("c.test", Endpoint("c", key: KeyAlgorithm.Ec, bits: 256, issuer: "CN=Other CA")), Grade("A", "A")));
        Assert.Equal(2, Of(s.KeyTypes, "RSA 2048"));
        Assert.Equal(1, Of(s.KeyTypes, "EC 256"));
        Assert.Equal(("CN=Good CA", 2), (s.TopIssuers[0].Key, s.TopIssuers[0].Domains));
        var shared = Assert.Single(s.SharedKeys);
        Assert.Equal(["a.test", "b.test"], shared.Domains);
    }

    [Fact]
    public void EmptyCensus_hasZeroShares()
    {
        var s = Compute();
        Assert.Equal(0, s.Results);
        Assert.Empty(s.Grades);
        Assert.Empty(s.Disagreements);
    }
}
