using XmppScanCluster.Coordinator.Grading;
using XmppScanCluster.Coordinator.Grading.Rules;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.Shared.Certificates;
using XmppScanCluster.Shared.ClientSimulation;
using XmppScanCluster.Shared.Tls;
using static XmppScanCluster.Coordinator.Tests.Grading.FailCapRuleTests;

namespace XmppScanCluster.Coordinator.Tests.Grading;

/// <summary>One test per C, B, A-, T and M rule with the scenario that triggers it.</summary>
public class OtherCapRuleTests
{
    private static readonly GradingThresholds T = Policies.SslLabsThresholds;

    [Fact]
    public void Compression_capsC() => Cap(new CompressionRule(), Scenario.Modern() with { Probes = ProbeVerdicts.Of((CompressionCheck.Key, true)) }, "C");

    [Fact]
    public void CbcAtSsl3_poodle_capsC() =>
        Assert.Contains("POODLE", Cap(new PoodleRule(), Scenario.Modern().With(TlsVersion.Ssl3, "TLS_RSA_WITH_AES_128_CBC_SHA"), "C").Reason);

    [Fact]
    public void Rc4AtTls12_capsC() => Cap(new Rc4ModernTlsRule(), Scenario.Modern().With(TlsVersion.Tls12, "TLS_RSA_WITH_RC4_128_SHA"), "C");

    [Fact]
    public void Rc4AtTls10Only_isNotModern() =>
        Assert.Null(new Rc4ModernTlsRule().Evaluate(Scenario.Modern().With(TlsVersion.Tls10, "TLS_RSA_WITH_RC4_128_SHA"), T));

    [Fact]
    public void Rc4AtTls11_xmppokeCountsOnlyTls12() =>
        Assert.Null(new Rc4ModernTlsRule().Evaluate(Scenario.Modern().With(TlsVersion.Tls11, "TLS_RSA_WITH_RC4_128_SHA"), Policies.XmppokeThresholds));

    [Fact]
    public void Rc4AcceptedButNoSimulatedClientNegotiatesIt_noCap()
    {
        var input = Scenario.Modern().With(TlsVersion.Tls12, "TLS_RSA_WITH_RC4_128_SHA") with
        {
            ClientSimulation = [new ClientSimulationFacts("conversations", SimulationOutcome.Negotiated) { Protocol = TlsVersion.Tls13, CipherSuite = 0x1301, KeyExchange = KeyExchange.Ecdhe }],
        };
        Assert.Null(new Rc4ModernTlsRule().Evaluate(input, T));
    }

    [Fact]
    public void TripleDesFirstInServerOrderAtTls12_capsC()
    {
        var input = Scenario.Modern().With(TlsVersion.Tls12, "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256") with { ServerOrder = new HashSet<TlsVersion> { TlsVersion.Tls12 } };
        Cap(new Block64ModernTlsRule(), input, "C");
    }

    [Fact]
    public void TripleDesLastInServerOrder_isNotNegotiated()
    {
        var input = Scenario.Modern().With(TlsVersion.Tls12, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_3DES_EDE_CBC_SHA") with { ServerOrder = new HashSet<TlsVersion> { TlsVersion.Tls12 } };
        Assert.Null(new Block64ModernTlsRule().Evaluate(input, T));
    }

    [Fact]
    public void SimulatedClientNegotiatesTripleDes_capsC()
    {
        var input = Scenario.Modern() with
        {
            ClientSimulation = [new ClientSimulationFacts("old-java", SimulationOutcome.Negotiated) { Protocol = TlsVersion.Tls12, CipherSuite = 0x000A, KeyExchange = KeyExchange.Rsa }],
        };
        Assert.Contains("old-java", Cap(new Block64ModernTlsRule(), input, "C").Reason);
    }

    [Fact]
    public void BestProtocolTls11_capsC() =>
        Cap(new NoTls12Rule(), Scenario.Modern().Only((TlsVersion.Tls11, ["TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"])), "C");

    [Fact]
    public void Ssl3Supported_capsB() => Cap(new Ssl3SupportedRule(), Scenario.Modern().With(TlsVersion.Ssl3, "TLS_RSA_WITH_AES_128_CBC_SHA"), "B");

    [Fact]
    public void Rc4Accepted_capsB() => Cap(new Rc4Rule(), Scenario.Modern().With(TlsVersion.Tls10, "TLS_RSA_WITH_RC4_128_SHA"), "B");

    [Fact]
    public void Rsa1024Leaf_capsB() => Cap(new RsaKeyWeakRule(), Scenario.Modern().WithLeaf(KeyAlgorithm.Rsa, 1024), "B");

    [Fact]
    public void Dh1024_capsB() => Assert.Contains("1024", Cap(new DhParamsWeakRule(), Scenario.Modern() with { DhGroupBits = [1024, 2048] }, "B").Reason);

    [Fact]
    public void MissingIntermediate_capsB() =>
        Cap(new IncompleteChainRule(), Scenario.Modern() with { Trust = new TrustVerdict(true, [new TrustIssue(TrustProblem.IncompleteChain, "intermediate not sent", 0)], [], "CN=Root") }, "B");

    [Fact]
    public void OnlyStaticRsa_noForwardSecrecy_capsB() =>
        Cap(new NoForwardSecrecyRule(), Scenario.Modern().Only((TlsVersion.Tls12, ["TLS_RSA_WITH_AES_128_GCM_SHA256"])), "B");

    [Fact]
    public void SimulatedClientWithoutForwardSecrecy_capsB()
    {
        var input = Scenario.Modern() with
        {
            ClientSimulation = [new ClientSimulationFacts("legacy-client", SimulationOutcome.Negotiated) { Protocol = TlsVersion.Tls12, CipherSuite = 0x009C, KeyExchange = KeyExchange.Rsa }],
        };
        Assert.Contains("legacy-client", Cap(new NoForwardSecrecyRule(), input, "B").Reason);
    }

    [Fact]
    public void OnlyCbcSuites_noAead_capsB() =>
        Cap(new NoAeadRule(), Scenario.Modern().Only((TlsVersion.Tls12, ["TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"])), "B");

    [Fact]
    public void Tls10Enabled_capsB() => Cap(new OldTlsRule(), Scenario.Modern().With(TlsVersion.Tls10, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"), "B");

    [Fact]
    public void NoSecureRenegotiation_warnsAMinus() =>
        Cap(new NoSecureRenegotiationRule(), Scenario.Modern() with { Probes = ProbeVerdicts.Of((SecureRenegotiationCheck.Key, true)) }, "A-");

    [Fact]
    public void NoFallbackScsv_warnsAMinus() =>
        Cap(new NoFallbackScsvRule(), Scenario.Modern() with { Probes = ProbeVerdicts.Of((FallbackScsvCheck.Key, true)) }, "A-");

    [Fact]
    public void Sha1SignedLeaf_warnsAMinus() => Cap(new Sha1ChainRule(), Scenario.Modern().WithLeaf(KeyAlgorithm.Rsa, 2048, "sha1"), "A-");

    [Fact]
    public void NoTls13_warnsAMinus() => Cap(new NoTls13Rule(), Scenario.Modern().Only((TlsVersion.Tls12, Scenario.ModernTls12)), "A-");

    [Fact]
    public void ExpiredLeaf_isT() =>
        Assert.Contains("expired", Cap(new UntrustedRule(), Scenario.Modern() with { Trust = new TrustVerdict(false, [new TrustIssue(TrustProblem.Expired, "certificate #0 expired", 0)], [], null) }, "T").Reason);

    [Fact]
    public void CertificateForAnotherDomain_isM() =>
        Assert.Contains("unrelated.test", Cap(new NameMismatchRule(), Scenario.Modern() with
        {
            Identity = new IdentityMatch(false, IdentityMatchKind.None, null, "example.test", [new SubjectAltName(SubjectAltNameType.DnsName, "unrelated.test")], false),
        }, "M").Reason);
}
