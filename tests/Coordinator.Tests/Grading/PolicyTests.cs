using XmppScanCluster.Coordinator.Grading;
using XmppScanCluster.Coordinator.Grading.Rules;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.Shared.Certificates;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.Coordinator.Tests.Grading;

/// <summary>Score arithmetic, the zero-category rule, cap order, T/M with the grade ignoring trust, and the registry.</summary>
public class PolicyTests
{
    private static readonly IGradingPolicy SslLabs = Policies.SslLabs2009r;

    [Fact]
    public void ModernBaseline_scores93_gradeA()
    {
        var result = SslLabs.Grade(Scenario.Modern());
        // protocol (100+100)/2 = 100; key exchange min(RSA 2048 → 90, x25519 ≈ RSA 3072 → 90) = 90; cipher (100+80)/2 = 90.
        Assert.Equal([100.0, 90.0, 90.0], result.Categories.Select(c => c.Score));
        Assert.Equal(93, result.Score);
        Assert.Equal("A", result.Grade);
        Assert.Equal("A", result.GradeIgnoringTrust);
        Assert.Empty(result.Caps);
        Assert.Contains("Heartbleed", result.NotTested);
    }

    [Fact]
    public void Tls10To12_protocolScoreIsMeanOfBestAndWorst()
    {
        var input = Scenario.Modern().With(TlsVersion.Tls10, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA");
        var protocol = Assert.IsType<ScoreOutcome>(new ProtocolScoreRule().Evaluate(input, Policies.SslLabsThresholds)).Score;
        Assert.Equal(95, protocol.Score);
    }

    [Fact]
    public void Rsa1024Leaf_keyExchangeScore40_andLetterCappedB()
    {
        var result = SslLabs.Grade(Scenario.Modern().WithLeaf(KeyAlgorithm.Rsa, 1024));
        Assert.Equal(80, result.Categories.Single(c => c.Category == "key_exchange").Score);
        Assert.Equal("B", result.Grade);
        Assert.Equal("rsa_key_weak", Assert.Single(result.Caps).Rule);
    }

    [Fact]
    public void AnonymousSuite_zeroKeyExchange_zeroesTotal_gradeF()
    {
        var result = SslLabs.Grade(Scenario.Modern().With(TlsVersion.Tls12, "TLS_DH_anon_WITH_AES_128_CBC_SHA"));
        Assert.Equal(0, result.Categories.Single(c => c.Category == "key_exchange").Score);
        Assert.Equal(0, result.Score);
        Assert.Equal("F", result.Grade);
        Assert.Equal("null_or_anonymous_suites", result.Caps[0].Rule);
    }

    [Fact]
    public void XmppokeHasNoZeroCategoryRule_anonymousSuiteGivesLowScoreNotZero()
    {
        var result = Policies.Xmppoke2015.Grade(Scenario.Modern().With(TlsVersion.Tls12, "TLS_DH_anon_WITH_AES_128_CBC_SHA"));
        Assert.Equal(0, result.Categories.Single(c => c.Category == "key_exchange").Score);
        Assert.True(result.Score > 0);
    }

    [Fact]
    public void SeveralCaps_mostSevereFirst_letterIsTheLowest()
    {
        var input = Scenario.Modern().With(TlsVersion.Tls10, "TLS_RSA_WITH_RC4_128_SHA") with { Probes = ProbeVerdicts.Of((SecureRenegotiationCheck.Key, true)) };
        var result = SslLabs.Grade(input);
        Assert.Equal("B", result.Grade);
        Assert.Equal(result.Caps.OrderBy(c => Letters.Severity(c.Cap)).Select(c => c.Rule), result.Caps.Select(c => c.Rule));
        Assert.Equal("A-", result.Caps[^1].Cap);
    }

    [Fact]
    public void WarningOnly_givesAMinus()
    {
        var result = SslLabs.Grade(Scenario.Modern() with { Probes = ProbeVerdicts.Of((FallbackScsvCheck.Key, true)) });
        Assert.Equal("A-", result.Grade);
    }

    [Fact]
    public void Untrusted_isT_withGradeIgnoringTrustKept()
    {
        var result = SslLabs.Grade(Scenario.Modern() with { Trust = new TrustVerdict(false, [new TrustIssue(TrustProblem.UnknownIssuer, "issuer unknown", 0)], [], null) });
        Assert.Equal("T", result.Grade);
        Assert.Equal("A", result.GradeIgnoringTrust);
    }

    [Fact]
    public void UntrustedAndMismatched_TwinsOverM_bothReasonsListed()
    {
        var result = SslLabs.Grade(Scenario.Modern() with
        {
            Trust = new TrustVerdict(false, [new TrustIssue(TrustProblem.SelfSignedLeaf, "self-signed", 0)], [], null),
            Identity = new IdentityMatch(false, IdentityMatchKind.None, null, "example.test", [], false),
        });
        Assert.Equal("T", result.Grade);
        Assert.Equal(["T", "M"], result.Caps.Select(c => c.Cap));
    }

    [Fact]
    public void MismatchWithWeakConfig_isM_ignoringTrustB()
    {
        var result = SslLabs.Grade(Scenario.Modern().WithLeaf(KeyAlgorithm.Rsa, 1024) with
        {
            Identity = new IdentityMatch(false, IdentityMatchKind.None, null, "example.test", [], false),
        });
        Assert.Equal(("M", "B"), (result.Grade, result.GradeIgnoringTrust));
    }

    [Fact]
    public void DomainGrade_isWorstEndpoint_andSharedCapsAreSaidOnce()
    {
        var good = SslLabs.Grade(Scenario.Modern());
        var weak = SslLabs.Grade(Scenario.Modern().WithLeaf(KeyAlgorithm.Rsa, 1024));
        var domain = Grader.Worst([("a", good), ("b", weak)]);
        Assert.Equal("B", domain.Grade);
        Assert.StartsWith("b: ", Assert.Single(domain.Caps).Reason, StringComparison.Ordinal);
        var both = Grader.Worst([("a", weak), ("b", weak)]);
        Assert.DoesNotContain(": RSA", both.Caps.Single().Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Registry_findsBothPolicies_byName()
    {
        Assert.True(Policies.TryGet("ssllabs-2009r", out var a));
        Assert.True(Policies.TryGet("xmppoke-2015", out var b));
        Assert.False(Policies.TryGet("nope", out _));
        Assert.Equal((Policies.SslLabs2009r, Policies.Xmppoke2015), (a, b));
        // xmppoke-2015 is a published policy that no later rule joins.
        Assert.Equal(1, b.Version);
    }

    [JoinsPolicy("joined-test", 3)]
    private sealed class JoiningTestRule : IGradingRule
    {
        public string Id => "joining_test";

        public RuleOutcome? Evaluate(GradingInput input, GradingThresholds thresholds) => new CapOutcome("C", "joined");
    }

    [Fact]
    public void RuleJoiningFromItsOwnFile_isApplied_andRaisesThePolicyVersion()
    {
        var policy = new RuleBasedPolicy("joined-test", 1, Policies.SslLabsThresholds, [new RsaKeyWeakRule()],
            joinCandidates: [typeof(JoiningTestRule), typeof(RsaKeyWeakRule)]);

        Assert.Equal(3, policy.Version);
        Assert.Equal(["rsa_key_weak", "joining_test"], policy.Rules.Select(r => r.Id));
        var result = policy.Grade(Scenario.Modern());
        Assert.Equal(3, result.PolicyVersion);
        Assert.Contains(result.Caps, c => c.Rule == "joining_test" && c.Cap == "C");
    }

    [Fact]
    public void Thresholds_areData_aChangedRecordRegradesTheSameFacts()
    {
        var strict = new RuleBasedPolicy("strict", 2, Policies.SslLabsThresholds with { RsaCapBelow = 4096 }, [new RsaKeyWeakRule()]);
        Assert.Equal("rsa_key_weak", Assert.Single(strict.Grade(Scenario.Modern()).Caps).Rule);
    }

    [Fact]
    public void XmppRatings_areBesideTheLetter_notInIt()
    {
        var input = Scenario.Modern() with
        {
            Xmpp = new(null, null, "1.0", new(Shared.Xmpp.StartTlsSupport.Offered, ["PLAIN"], [], false, false, []), null, null, true, null),
        };
        var result = SslLabs.Grade(input);
        Assert.Equal("A", result.Grade);
        Assert.Equal(RatingLevel.Bad, result.XmppRatings.Single(r => r.Name == "starttls_required").Level);
        Assert.Equal(RatingLevel.Bad, result.XmppRatings.Single(r => r.Name == "sasl_plain_before_tls").Level);
    }
}
