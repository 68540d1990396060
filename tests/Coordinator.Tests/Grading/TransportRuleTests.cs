using XmppScanCluster.Coordinator.Grading;
using XmppScanCluster.Coordinator.Grading.Rules.Transport;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Xmpp;

namespace XmppScanCluster.Coordinator.Tests.Grading;

/// <summary>
/// xmppscan-2026's transport rules, one test per rule with the facts that trigger it and the facts that do not, and
/// the two TLS-only policies ignoring the same facts (they grade TLS only, as SSL Labs and xmppoke did).
/// </summary>
public class TransportRuleTests
{
    private static readonly GradingThresholds T = Policies.XmppScanThresholds;

    internal static XmppFeatures Features(StartTlsSupport startTls, bool dialback = false, params string[] mechanisms) =>
        new(startTls, mechanisms, [], dialback, false, []);

    internal static GradingInput Stream(XmppMode mode, XmppFeatures pre, bool hasTls = true, bool? peerCertificateRequired = null) =>
        Scenario.Modern() with
        {
            Mode = mode,
            HasTls = hasTls,
            Xmpp = new XmppStreamFacts(StreamId: "id", From: "example.test", Version: "1.0", PreTlsFeatures: pre, PostTlsFeatures: null, StreamError: null, StreamRestartAfterTlsWorked: hasTls, PeerCertificateRequired: peerCertificateRequired),
        };

    private static CapOutcome Cap(IGradingRule rule, GradingInput input, string letter)
    {
        var cap = Assert.IsType<CapOutcome>(rule.Evaluate(input, T));
        Assert.Equal(letter, cap.Cap);
        // The same facts under ssllabs-2009r's thresholds (no transport caps): the rule is silent.
        Assert.Null(rule.Evaluate(input, Policies.SslLabsThresholds));
        return cap;
    }

    [Fact]
    public void SrvAdvertisedStartTlsEndpoint_withoutStartTls_isF_andSaysSo()
    {
        var cap = Cap(new StartTlsMissingRule(), Stream(XmppMode.C2S, Features(StartTlsSupport.NotOffered), hasTls: false), "F");
        Assert.Contains("SRV-advertised c2s STARTTLS endpoint offers no STARTTLS", cap.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void DirectTlsEndpoint_isNeverJudgedForStartTls() =>
        Assert.Null(new StartTlsMissingRule().Evaluate(Stream(XmppMode.C2S, Features(StartTlsSupport.NotOffered)) with { Transport = TlsTransport.DirectTls }, T));

    [Theory]
    [InlineData(XmppMode.C2S)]
    [InlineData(XmppMode.S2S)]
    public void OptionalStartTls_isCappedC_asStrippable(XmppMode mode)
    {
        var cap = Cap(new StartTlsOptionalRule(), Stream(mode, Features(StartTlsSupport.Offered)), "C");
        Assert.Contains("strip", cap.Reason, StringComparison.Ordinal);
        Assert.Null(new StartTlsOptionalRule().Evaluate(Stream(mode, Features(StartTlsSupport.Required)), T));
    }

    [Fact]
    public void OptionalStartTls_withoutPreTlsFeatures_isNotTested() =>
        Assert.IsType<NotTestedOutcome>(new StartTlsOptionalRule().Evaluate(Scenario.Modern(), T));

    [Theory]
    [InlineData("PLAIN")]
    [InlineData("LOGIN")]
    [InlineData("X-OAUTH2")]
    public void CleartextMechanismBeforeTls_isCappedD(string mechanism)
    {
        var cap = Cap(new CleartextAuthBeforeTlsRule(), Stream(XmppMode.C2S, Features(StartTlsSupport.Offered, false, "SCRAM-SHA-1", mechanism)), "D");
        Assert.Contains(mechanism, cap.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void OnlyScramBeforeTls_isNotCapped() =>
        Assert.Null(new CleartextAuthBeforeTlsRule().Evaluate(Stream(XmppMode.C2S, Features(StartTlsSupport.Offered, false, "SCRAM-SHA-1", "SCRAM-SHA-256")), T));

    [Fact]
    public void S2sDialbackBeforeTls_withoutRequiredTls_isCappedD()
    {
        var cap = Cap(new S2sAuthBeforeTlsRule(), Stream(XmppMode.S2S, Features(StartTlsSupport.Offered, dialback: true)), "D");
        Assert.Contains("dialback", cap.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void S2sDialbackAdvertisedBeforeTls_butTlsRequired_isNotCapped() =>
        // Prosody advertises dialback before TLS but refuses it there when s2s_require_encryption is on.
        Assert.Null(new S2sAuthBeforeTlsRule().Evaluate(Stream(XmppMode.S2S, Features(StartTlsSupport.Required, dialback: true)), T));

    [Fact]
    public void S2sRequiringPeerCertificates_isNotCapped() =>
        Assert.Null(new S2sAuthBeforeTlsRule().Evaluate(Stream(XmppMode.S2S, Features(StartTlsSupport.Offered, dialback: true), peerCertificateRequired: true), T));

    [Fact]
    public void OptionalStartTlsAndPlain_isDUnderTheDefault_butStillAUnderSslLabs()
    {
        var input = Stream(XmppMode.C2S, Features(StartTlsSupport.Offered, false, "PLAIN", "SCRAM-SHA-1"));
        var xmpp = Policies.XmppScan2026.Grade(input);
        Assert.Equal(("D", "D"), (xmpp.Grade, xmpp.GradeIgnoringTrust));
        Assert.Equal(["cleartext_auth_before_tls", "starttls_optional"], xmpp.Caps.Where(c => c.Cap is "D" or "C").Select(c => c.Rule));
        Assert.Equal("A", Policies.SslLabs2009r.Grade(input).Grade);
    }

    [Fact]
    public void EndpointWithoutTls_isGradedOnlyByTheXmppPolicy_andOnlyByTransportRules()
    {
        var input = Stream(XmppMode.C2S, Features(StartTlsSupport.NotOffered, false, "PLAIN"), hasTls: false) with
        {
            Suites = new Dictionary<Shared.Tls.TlsVersion, IReadOnlyList<Shared.Tls.CipherSuiteInfo>>(), Chain = [], Trust = null, Identity = null,
        };
        Assert.True(Policies.XmppScan2026.Grades(input));
        Assert.False(Policies.SslLabs2009r.Grades(input));
        Assert.False(Policies.Xmppoke2015.Grades(input));

        var result = Policies.XmppScan2026.Grade(input);
        Assert.Equal("F", result.Grade);
        Assert.Equal(["starttls_not_offered", "cleartext_auth_before_tls"], result.Caps.Select(c => c.Rule));
        Assert.Empty(result.NotTested);
        Assert.Contains("no TLS on this endpoint: only the XMPP transport was graded", result.Notes);
    }

    [Fact]
    public void DomainWithAStrippedEndpoint_isF_andNamesTheEndpointThatSetIt()
    {
        var stripped = Stream(XmppMode.C2S, Features(StartTlsSupport.NotOffered), hasTls: false) with
        {
            Endpoint = "xmpp.example.test 127.0.0.1:5222 starttls", Suites = new Dictionary<Shared.Tls.TlsVersion, IReadOnlyList<Shared.Tls.CipherSuiteInfo>>(),
        };
        var direct = Scenario.Modern() with { Endpoint = "xmpp.example.test 127.0.0.1:5223 direct_tls", Transport = TlsTransport.DirectTls };
        var domain = Grader.Worst([(direct.Endpoint, Policies.XmppScan2026.Grade(direct)), (stripped.Endpoint, Policies.XmppScan2026.Grade(stripped))]);
        Assert.Equal("F", domain.Grade);
        Assert.Equal("xmpp.example.test 127.0.0.1:5222 starttls", domain.SetBy);
        Assert.Contains(domain.Caps, c => c.Rule == "starttls_not_offered" && c.Reason.StartsWith("xmpp.example.test 127.0.0.1:5222 starttls: ", StringComparison.Ordinal));
    }

    [Fact]
    public void DefaultPolicy_isXmppScan2026_listedFirst()
    {
        Assert.Equal("xmppscan-2026", Policies.Default);
        Assert.Same(Policies.XmppScan2026, Policies.All[0]);
        Assert.True(Policies.TryGet("xmppscan-2026", out var p));
        Assert.Same(Policies.XmppScan2026, p);
    }
}
