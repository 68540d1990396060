using XmppScanCluster.Coordinator.Grading;
using XmppScanCluster.Coordinator.Grading.Rules;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.Coordinator.Tests.Grading;

/// <summary>The ROBOT rule joined the SSL Labs based policies from its own file: F when vulnerable, as SSL Labs grades it.</summary>
public class RobotRuleTests
{
    private static GradingInput StaticRsa() => Scenario.Modern().With(TlsVersion.Tls12, [.. Scenario.ModernTls12, "TLS_RSA_WITH_AES_128_GCM_SHA256"]);

    [Theory]
    [InlineData(Policies.XmppScan)]
    [InlineData(Policies.SslLabs)]
    public void Vulnerable_capsF_inThePoliciesItJoined(string policy)
    {
        Assert.True(Policies.TryGet(policy, out var p));

        var result = p.Grade(StaticRsa() with { Probes = ProbeVerdicts.Of((RobotCheck.Key, true)) });

        Assert.Equal("F", result.Grade);
        Assert.Contains(result.Caps, c => c.Rule == "robot" && c.Cap == "F");
        Assert.True(p.Version >= 2, "a policy a rule joined has a new version");
    }

    [Fact]
    public void NotVulnerable_orNoStaticRsa_noCap_andUntestedOnlyWhereStaticRsaIsAccepted()
    {
        var rule = new RobotRule();
        var t = Policies.SslLabsThresholds;

        Assert.Null(rule.Evaluate(StaticRsa() with { Probes = ProbeVerdicts.Of((RobotCheck.Key, false)) }, t));
        Assert.Null(rule.Evaluate(Scenario.Modern(), t));
        Assert.Equal(new NotTestedOutcome("ROBOT"), rule.Evaluate(StaticRsa(), t));
        // xmppoke-2015 predates ROBOT: unchanged.
        Assert.True(Policies.TryGet(Policies.Xmppoke, out var xmppoke));
        Assert.DoesNotContain(((RuleBasedPolicy)xmppoke).Rules, r => r is RobotRule);
    }
}
