using XmppScanCluster.Coordinator.Clients.Harness;
using XmppScanCluster.Coordinator.Clients.Matrix;
using XmppScanCluster.Coordinator.Clients.Verdicts;
using static XmppScanCluster.Coordinator.Clients.Harness.WireEventKind;

namespace XmppScanCluster.Coordinator.Tests.Clients;

/// <summary>The verdict logic on transcripts the harness recorded from real clients, and on hand-made edge cases.</summary>
public sealed class VerdictJudgeTests
{
    private static Scenario S(string id) => ScenarioCatalog.Find(id)!;

    [Theory]
    [InlineData("starttls-stripped--slixmpp-default", VerdictKind.CredentialsInClear, "SCRAM-SHA-1", false)]
    [InlineData("starttls-stripped--sendxmpp-default", VerdictKind.CredentialsInClear, "PLAIN", false)]
    [InlineData("starttls-stripped--xmppc-default", VerdictKind.Refused, null, true)]
    [InlineData("starttls-stripped--aioxmpp-default", VerdictKind.Refused, null, true)]
    [InlineData("baseline--go-sendxmpp-default", VerdictKind.AuthenticatedOverTls, "PLAIN", true)]
    [InlineData("baseline--sendxmpp-default", VerdictKind.Refused, null, false)]
    [InlineData("cert-self-signed--xmppc-default", VerdictKind.Refused, null, true)]
    [InlineData("cert-srv-target--go-sendxmpp-default", VerdictKind.Refused, null, true)]
    [InlineData("legacy-auth--sendxmpp-strict", VerdictKind.CredentialsInClear, "iq:auth", false)]
    [InlineData("direct-tls-stripped--aioxmpp-default", VerdictKind.AuthenticatedOverTls, "SCRAM-SHA-1", true)]
    [InlineData("direct-tls-stripped--xmppc-default", VerdictKind.ConnectedNoAuth, null, false)]
    [InlineData("sasl-plain-only--slixmpp-strict", VerdictKind.Refused, null, true)]
    public void CapturedTranscript_givesItsVerdict(string name, VerdictKind kind, string? mechanism, bool meets)
    {
        var document = MatrixJson.ReadTranscript(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Clients", "Transcripts", name + ".json")));

        var verdict = VerdictJudge.Judge(S(document.Scenario), document.Events);

        Assert.Equal(kind, verdict.Kind);
        Assert.Equal(mechanism, verdict.Mechanism);
        Assert.Equal(meets, verdict.MeetsExpectation);
    }

    [Fact]
    public void NoConnection_isNeitherPassNorLeak()
    {
        var verdict = VerdictJudge.Judge(S("starttls-stripped"), []);

        Assert.Equal(VerdictKind.NoConnection, verdict.Kind);
        Assert.False(verdict.MeetsExpectation);
    }

    [Fact]
    public void StreamContinuedOverBadCertificate_isAcceptedBadCertificate_evenWithoutCredentials()
    {
        WireEvent[] events =
        [
            new(1, Connected, false), new(1, StreamOpened, false), new(1, StartTlsRequested, false),
            new(1, TlsEstablished, true, "Tls13", CertificateBad: true), new(1, StreamOpened, true, CertificateBad: true),
            new(1, ClientClosed, true, CertificateBad: true),
        ];

        var verdict = VerdictJudge.Judge(S("cert-expired"), events);

        Assert.Equal(VerdictKind.AcceptedBadCertificate, verdict.Kind);
        Assert.False(verdict.MeetsExpectation);
    }

    [Fact]
    public void CredentialsInClearOnSecondConnection_winOverTlsOnFirst()
    {
        WireEvent[] events =
        [
            new(1, Connected, false), new(1, StreamErrorSent, false, "see-other-host"), new(1, ClientClosed, false),
            new(2, Connected, false, "other-host"), new(2, AuthStarted, false, Mechanism: "PLAIN"),
            new(2, CredentialsSent, false, "PLAIN password", "PLAIN"), new(2, Authenticated, false, Mechanism: "PLAIN"),
        ];

        var verdict = VerdictJudge.Judge(S("see-other-host"), events);

        Assert.Equal(VerdictKind.CredentialsInClear, verdict.Kind);
        Assert.Equal("PLAIN", verdict.Mechanism);
        Assert.Equal(2, verdict.Connections);
    }

    [Fact]
    public void ClientStillWaitingAtDeadline_isConnectedNoAuth_withWhereItStalled()
    {
        WireEvent[] events = [new(1, Connected, false), new(1, StreamOpened, false), new(1, FeaturesSent, false, "mechanisms PLAIN"), new(1, TimedOut, false)];

        var verdict = VerdictJudge.Judge(S("starttls-stripped"), events);

        Assert.Equal(VerdictKind.ConnectedNoAuth, verdict.Kind);
        Assert.True(verdict.MeetsExpectation);
        Assert.Equal("stalled after the features (mechanisms PLAIN)", verdict.AbortedAt);
    }

    [Fact]
    public void TlsAbortedByClient_isRefused_inTheHandshake()
    {
        WireEvent[] events = [new(1, Connected, false), new(1, StartTlsRequested, false), new(1, TlsFailed, false, "alert unknown ca"), new(1, ClientClosed, false)];

        var verdict = VerdictJudge.Judge(S("cert-unknown-ca"), events);

        Assert.Equal(VerdictKind.Refused, verdict.Kind);
        Assert.Equal("in the TLS handshake (alert unknown ca)", verdict.AbortedAt);
    }

    [Fact]
    public void PlainOverGoodTls_whereScramWasPinned_failsTheDowngradeScenario()
    {
        WireEvent[] events = [new(1, Connected, false), new(1, TlsEstablished, true, "Tls13"), new(1, CredentialsSent, true, "PLAIN password", "PLAIN")];

        var verdict = VerdictJudge.Judge(S("sasl-plain-only"), events);

        Assert.Equal(VerdictKind.AuthenticatedOverTls, verdict.Kind);
        Assert.False(verdict.MeetsExpectation);
    }
}
