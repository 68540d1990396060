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
    public void Rc4NullAndAnonymousSuites_areFeatures_andNullCountsAsWeak()
    {
        AcceptedSuite[] suites = [new(0x0005, "TLS_RSA_WITH_RC4_128_SHA", 128, false, false, "RSA"),
            new(0x0002, "TLS_RSA_WITH_NULL_SHA", 0, false, false, "RSA"),
            new(0x0034, "TLS_DH_anon_WITH_AES_128_CBC_SHA", 128, true, false, "DH 1024 oakley_group_2")];
        var s = Compute(
            new RegionResult("eu", Domain("old.test", Endpoint("old", protocols: ["TLSv1.0", "TLSv1.2"], suites: suites)), Grade("F", "F")),
            new RegionResult("eu", Domain("new.test", Endpoint("new")), Grade("A", "A")));

        Assert.Equal(1, Of(s.Features, "rc4_suites"));
        Assert.Equal(1, Of(s.Features, "null_suites"));
        Assert.Equal(1, Of(s.Features, "anonymous_suites"));
        Assert.Equal(1, Of(s.Features, "weak_suites"));
        Assert.Equal(0, Of(s.Features, "export_suites"));
        Assert.Equal(1, Of(s.Features, "forward_secrecy_some"));
        Assert.Equal(2, s.Assessed);
    }

    [Fact]
    public void UnknownSuiteCode_withZeroBits_isNotWeak()
    {
        AcceptedSuite[] suites = [new(0xFAFA, "0xFAFA", 0, true, true, null)];
        var s = Compute(new RegionResult("eu", Domain("odd.test", Endpoint("odd", suites: suites)), Grade("A", "A")));
        Assert.Equal(0, Of(s.Features, "weak_suites"));
    }

    [Fact]
    public void SuitesOfAVersionNotSupported_areNotCounted()
    {
        var endpoint = Endpoint("a");
        var refused = new ProtocolAssessment(Protocol: "TLSv1.0", Supported: false, SuiteOrder: NegotiationOrder.Indeterminate,
            Suites: [new AcceptedSuite(0x0005, "TLS_RSA_WITH_RC4_128_SHA", 128, false, false, "RSA")], Ssl2CipherKinds: [], Refusal: "alert protocol_version", CandidatesTested: 1, Connections: 1, ServerHelloHex: null, Errors: []);
        endpoint = endpoint with { Assessment = endpoint.Assessment! with { Protocols = [.. endpoint.Assessment.Protocols, refused] } };
        var s = Compute(new RegionResult("eu", Domain("a.test", endpoint), Grade("A", "A")));
        Assert.Equal(0, Of(s.Features, "rc4_suites"));
        Assert.Equal(0, Of(s.Protocols, "TLSv1.0"));
        Assert.Equal(1, Of(s.Features, "forward_secrecy_all"));
    }

    [Fact]
    public void DhGroupOf1024Bits_isAFeature_2048IsNot()
    {
        static EndpointReport WithDh(string leaf, int bits)
        {
            var e = Endpoint(leaf);
            var group = new DhGroupFacts(bits, null, null, null, new string('c', 64), "02", ["TLSv1.2"]);
            return e with { Assessment = e.Assessment! with { KeyExchange = e.Assessment.KeyExchange with { DhGroups = [group] } } };
        }

        var s = Compute(new RegionResult("eu", Domain("weak.test", WithDh("weak", 1024)), Grade("B", "B")),
            new RegionResult("eu", Domain("strong.test", WithDh("strong", 2048)), Grade("A", "A")));
        Assert.Equal(1, Of(s.Features, "dh_1024_or_less"));
    }

    [Fact]
    public void SessionOnlyResult_countsItsNegotiatedProtocol_butNoSuiteFeatures()
    {
        AcceptedSuite[] nullSuite = [new(0x0002, "TLS_RSA_WITH_NULL_SHA", 0, false, false, "RSA")];
        var session = Endpoint("s", protocols: ["TLSv1.0", "TLSv1.2"], suites: nullSuite) with { Assessment = null };
        var s = Compute(new RegionResult("eu", Domain("s.test", session), Grade("A", "A")),
            new RegionResult("eu", Domain("full.test", Endpoint("f")), Grade("A", "A")));

        // The session negotiated TLS 1.2 with a NULL suite; that one handshake proves nothing about the other suites.
        Assert.Equal([("TLSv1.2", 2), ("TLSv1.3", 1)], s.Protocols.Select(c => (c.Key, c.Domains)));
        Assert.Equal(0, Of(s.Features, "null_suites") + Of(s.Features, "weak_suites") + Of(s.Features, "forward_secrecy_none"));
        Assert.Equal(1, Of(s.Features, "forward_secrecy_all"));
        Assert.Equal((2, 1), (s.Responding, s.Assessed));
    }

    [Fact]
    public void EmptyCensus_hasZeroShares()
    {
        var s = Compute();
        Assert.Equal(0, s.Results);
        Assert.Empty(s.Grades);
        Assert.Empty(s.Disagreements);
    }

    [Fact]
    public void Shares_ofSuiteFeatures_areOfAssessedResults_andStartTlsRequired_ofThatModesResults()
    {
        AcceptedSuite[] rc4 = [new(0x0005, "TLS_RSA_WITH_RC4_128_SHA", 128, false, false, "RSA")];
        var sessionOnly = Endpoint("s") with { Assessment = null };
        var s = Compute(
            new RegionResult("eu", Domain("rc4.test", Endpoint("r", suites: rc4)), Grade("C", "C")),
            new RegionResult("eu", Domain("ok.test", Endpoint("o")), Grade("A", "A")),
            new RegionResult("eu", Domain("session.test", sessionOnly), Grade("A", "A")),
            new RegionResult("eu", Domain("ok.test", Endpoint("o")) with { Mode = XmppMode.S2S }, Grade("A", "A")));

        // 4 results, 3 of them assessed, 3 of them c2s (every one of which requires STARTTLS).
        var rc4Count = s.Features.Single(c => c.Key == "rc4_suites");
        Assert.Equal((1, 3, 0.3333), (rc4Count.Domains, rc4Count.Of, rc4Count.Share));
        var c2s = s.Features.Single(c => c.Key == "starttls_required_c2s");
        Assert.Equal((3, 3, 1.0), (c2s.Domains, c2s.Of, c2s.Share));
        var s2s = s.Features.Single(c => c.Key == "starttls_required_s2s");
        Assert.Equal((1, 1, 1.0), (s2s.Domains, s2s.Of, s2s.Share));
        var tls13 = s.Features.Single(c => c.Key == "tls13");
        Assert.Equal((4, 4), (tls13.Of, s.Results));
        Assert.Equal(3, s.ResultsByMode!["c2s"]);
    }
}
