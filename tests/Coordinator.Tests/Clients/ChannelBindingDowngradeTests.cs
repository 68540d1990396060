using XmppScanCluster.Coordinator.Clients.Harness;
using XmppScanCluster.Coordinator.Clients.Matrix;
using XmppScanCluster.Coordinator.Clients.Verdicts;
using static XmppScanCluster.Coordinator.Clients.Harness.WireEventKind;

namespace XmppScanCluster.Coordinator.Tests.Clients;

/// <summary>
/// The two-visit channel-binding downgrade verdict on transcripts the harness recorded from real clients (slixmpp
/// 1.8.3 binds with SCRAM-SHA-256-PLUS, gloox 1.0.24 with SCRAM-SHA-1-PLUS; the others never choose -PLUS), and on hand-made edge cases.
/// </summary>
public sealed class ChannelBindingDowngradeTests
{
    private static Scenario S(string id) => ScenarioCatalog.Find(id)!;

    [Theory]
    [InlineData("sasl-cb-downgrade-plain--slixmpp-default", VerdictKind.AuthenticatedOverTls, "PLAIN", false,
        "first visit: SCRAM-SHA-256-PLUS, tls-unique over Tls13: matches; second visit: PLAIN")]
    [InlineData("sasl-cb-downgrade-scram--slixmpp-default", VerdictKind.AuthenticatedOverTls, "SCRAM-SHA-256", true,
        "first visit: SCRAM-SHA-256-PLUS, tls-unique over Tls13: matches; second visit: SCRAM-SHA-256 gs2 flag y")]
    [InlineData("sasl-cb-downgrade-scram--gloox-strict", VerdictKind.AuthenticatedOverTls, "SCRAM-SHA-1", false,
        "first visit: SCRAM-SHA-1-PLUS, tls-unique over Tls12: matches; second visit: SCRAM-SHA-1 gs2 flag n")]
    [InlineData("sasl-cb-downgrade-plain--slixmpp-strict", VerdictKind.NotApplicable, null, true,
        "first visit: chose SCRAM-SHA-1 gs2 flag y, no -PLUS")]
    [InlineData("sasl-cb-downgrade-scram--aioxmpp-default", VerdictKind.NotApplicable, "SCRAM-SHA-256", true,
        "first visit: chose SCRAM-SHA-256 gs2 flag n, no -PLUS")]
    [InlineData("sasl-cb-downgrade-plain--go-sendxmpp-default", VerdictKind.NotApplicable, "PLAIN", true,
        "first visit: chose PLAIN, no -PLUS")]
    public void CapturedTranscript_givesItsVerdict(string name, VerdictKind kind, string? mechanism, bool meets, string binding)
    {
        var document = MatrixJson.ReadTranscript(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Clients", "Transcripts", name + ".json")));

        var verdict = VerdictJudge.Judge(S(document.Scenario), document.Events);

        Assert.Equal(kind, verdict.Kind);
        Assert.Equal(mechanism, verdict.Mechanism);
        Assert.Equal(meets, verdict.MeetsExpectation);
        Assert.Equal(binding, verdict.ChannelBinding);
    }

    private static List<WireEvent> FirstVisitWithPlus() =>
    [
        new(1, Connected, false, "c2s"), new(1, StartTlsRequested, false), new(1, TlsEstablished, true, "Tls12"),
        new(1, AuthStarted, true, Mechanism: "SCRAM-SHA-1-PLUS"), new(1, ChannelBindingFlag, true, "p=tls-server-end-point", "SCRAM-SHA-1-PLUS"),
        new(1, CredentialsSent, true, "SCRAM client proof", "SCRAM-SHA-1-PLUS"),
        new(1, ChannelBindingChecked, true, "tls-server-end-point over Tls12: matches", "SCRAM-SHA-1-PLUS"),
        new(1, Authenticated, true, Mechanism: "SCRAM-SHA-1-PLUS"), new(1, ClientClosed, true),
        new(0, SecondVisit, false, "mechanisms SCRAM-SHA-256 SCRAM-SHA-1"),
        new(2, Connected, false, "c2s"), new(2, StartTlsRequested, false), new(2, TlsEstablished, true, "Tls12"),
    ];

    [Fact]
    public void SecondVisitScramWithFlagN_isASilentDowngrade()
    {
        var events = FirstVisitWithPlus();
        events.AddRange([new(2, AuthStarted, true, Mechanism: "SCRAM-SHA-1"), new(2, ChannelBindingFlag, true, "n", "SCRAM-SHA-1"),
            new(2, CredentialsSent, true, "SCRAM client proof", "SCRAM-SHA-1"), new(2, Authenticated, true, Mechanism: "SCRAM-SHA-1")]);

        var verdict = VerdictJudge.Judge(S("sasl-cb-downgrade-scram"), events);

        Assert.Equal(VerdictKind.AuthenticatedOverTls, verdict.Kind);
        Assert.False(verdict.MeetsExpectation);
        Assert.Equal(2, verdict.Connections);
        Assert.Equal("first visit: SCRAM-SHA-1-PLUS, tls-server-end-point over Tls12: matches; second visit: SCRAM-SHA-1 gs2 flag n", verdict.ChannelBinding);
    }

    [Fact]
    public void SecondVisitAbortedBeforeCredentials_isRefused_andMeetsTheExpectation()
    {
        var events = FirstVisitWithPlus();
        events.AddRange([new(2, FeaturesSent, true, "mechanisms PLAIN"), new(2, ClientClosed, true, "closed its stream")]);

        var verdict = VerdictJudge.Judge(S("sasl-cb-downgrade-plain"), events);

        Assert.Equal(VerdictKind.Refused, verdict.Kind);
        Assert.True(verdict.MeetsExpectation);
        Assert.EndsWith("second visit: no authentication", verdict.ChannelBinding, StringComparison.Ordinal);
    }

    [Fact]
    public void NoConnectionOnTheFirstVisit_isNoConnection_notNotApplicable()
    {
        var verdict = VerdictJudge.Judge(S("sasl-cb-downgrade-plain"), [new(0, SecondVisit, false, "mechanisms PLAIN")]);

        Assert.Equal(VerdictKind.NoConnection, verdict.Kind);
        Assert.False(verdict.MeetsExpectation);
    }

    [Fact]
    public void DowngradeScenarios_offerPlusFirst_thenLess()
    {
        foreach (var id in new[] { "sasl-cb-downgrade-plain", "sasl-cb-downgrade-scram" })
        {
            var scenario = S(id);
            Assert.Contains("SCRAM-SHA-256-PLUS", scenario.MechanismsFor(1));
            Assert.Contains("SCRAM-SHA-1-PLUS", scenario.MechanismsFor(1));
            Assert.DoesNotContain(scenario.MechanismsFor(2), m => m.EndsWith("-PLUS", StringComparison.Ordinal));
        }

        Assert.Equal(["PLAIN"], S("sasl-cb-downgrade-plain").MechanismsFor(2));
        Assert.Null(S("baseline").SecondVisitMechanisms);
    }
}
