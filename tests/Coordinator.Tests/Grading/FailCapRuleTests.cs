using XmppScanCluster.Coordinator.Grading;
using XmppScanCluster.Coordinator.Grading.Rules;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.Shared.Certificates;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.Coordinator.Tests.Grading;

/// <summary>One test per F-cap rule, with the scenario that triggers it, and the modern baseline that does not.</summary>
public class FailCapRuleTests
{
    private static readonly GradingThresholds T = Policies.SslLabsThresholds;

    internal static CapOutcome Cap(IGradingRule rule, GradingInput input, string letter)
    {
        var cap = Assert.IsType<CapOutcome>(rule.Evaluate(input, T));
        Assert.Equal(letter, cap.Cap);
        Assert.False(string.IsNullOrWhiteSpace(cap.Reason));
        Assert.Null(rule.Evaluate(Scenario.Modern(), T) as CapOutcome);
        return cap;
    }

    [Fact]
    public void Ssl2Enabled_capsF() =>
        Assert.Contains("SSLv2", Cap(new Ssl2Rule(), Scenario.Modern() with { Ssl2CipherBits = [128, 40] }, "F").Reason);

    [Fact]
    public void Ssl2Inconclusive_isNotTested_neverPassed()
    {
        // Issue 16: an SSLv2 close no control hello confirmed is not "SSLv2 disabled".
        var input = Scenario.Modern() with { Inconclusive = new Dictionary<TlsVersion, string> { [TlsVersion.Ssl2] = "closed; the control hello got no answer either" } };
        var outcome = Assert.IsType<NotTestedOutcome>(new Ssl2Rule().Evaluate(input, T));
        Assert.Contains("control hello", outcome.What);
        Assert.Null(new Ssl2Rule().Evaluate(Scenario.Modern(), T));
    }

    [Fact]
    public void Ssl3BestProtocol_capsF() =>
        Cap(new Ssl3BestRule(), Scenario.Modern().Only((TlsVersion.Ssl3, ["TLS_RSA_WITH_AES_128_CBC_SHA"])), "F");

    [Fact]
    public void ExportSuiteAccepted_capsF() =>
        Assert.Contains("TLS_RSA_EXPORT_WITH_RC4_40_MD5", Cap(new ExportSuitesRule(), Scenario.Modern().With(TlsVersion.Tls10, "TLS_RSA_EXPORT_WITH_RC4_40_MD5"), "F").Reason);

    [Fact]
    public void NullSuiteAccepted_capsF() =>
        Assert.Contains("NULL", Cap(new NullOrAnonymousRule(), Scenario.Modern().With(TlsVersion.Tls12, "TLS_ECDHE_RSA_WITH_NULL_SHA"), "F").Reason);

    [Fact]
    public void AnonymousSuiteAccepted_capsF() =>
        Assert.Contains("anonymous", Cap(new NullOrAnonymousRule(), Scenario.Modern().With(TlsVersion.Tls12, "TLS_DH_anon_WITH_AES_128_CBC_SHA"), "F").Reason);

    [Fact]
    public void SingleDesSuite_below112Bits_capsF() =>
        Assert.Contains("112", Cap(new WeakSuiteBitsRule(), Scenario.Modern().With(TlsVersion.Tls12, "TLS_RSA_WITH_DES_CBC_SHA"), "F").Reason);

    [Fact]
    public void TripleDes_is112Bits_notBelow()
    {
        var input = Scenario.Modern().With(TlsVersion.Tls12, "TLS_RSA_WITH_3DES_EDE_CBC_SHA");
        Assert.Null(new WeakSuiteBitsRule().Evaluate(input, T));
    }

    [Fact]
    public void Rc4Only_capsF() =>
        Cap(new Rc4OnlyRule(), Scenario.Modern().Only((TlsVersion.Tls12, ["TLS_RSA_WITH_RC4_128_SHA"])), "F");

    [Fact]
    public void Rsa512Leaf_capsF() =>
        Assert.Contains("512", Cap(new RsaKeyTooSmallRule(), Scenario.Modern().WithLeaf(KeyAlgorithm.Rsa, 512), "F").Reason);

    [Fact]
    public void Md5SignedLeaf_capsF() =>
        Assert.Contains("MD5", Cap(new Md5SignatureRule(), Scenario.Modern().WithLeaf(KeyAlgorithm.Rsa, 2048, "md5"), "F").Reason);

    [Fact]
    public void Md5SignedSelfSignedRoot_isIgnored()
    {
        var input = Scenario.Modern() with { Chain = [.. Scenario.Modern().Chain, Scenario.Cert("Root", isCa: true, hash: "md5", selfSigned: true)] };
        Assert.Null(new Md5SignatureRule().Evaluate(input, T));
    }

    [Fact]
    public void Heartbleed_capsF() =>
        Cap(new HeartbleedRule(), Scenario.Modern() with { Probes = ProbeVerdicts.Of((HeartbleedCheck.Key, true)) }, "F");

    [Fact]
    public void HeartbleedNotProbed_isNotTested() =>
        Assert.IsType<NotTestedOutcome>(new HeartbleedRule().Evaluate(Scenario.Modern(), T));

    [Fact]
    public void CcsInjection_capsF() =>
        Cap(new CcsInjectionRule(), Scenario.Modern() with { Probes = ProbeVerdicts.Of((CcsInjectionCheck.Key, true)) }, "F");

    [Fact]
    public void InsecureClientRenegotiation_capsF() =>
        Cap(new InsecureRenegotiationRule(), Scenario.Modern() with { Probes = ProbeVerdicts.Of((ClientRenegotiationCheck.Key, true)) }, "F");
}
