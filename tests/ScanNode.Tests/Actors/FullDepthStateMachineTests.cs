using XmppScanCluster.ScanNode.Actors;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Messages;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using static XmppScanCluster.ScanNode.Tests.Actors.TargetFacts;

namespace XmppScanCluster.ScanNode.Tests.Actors;

/// <summary>
/// The state machine with the full depth's endpoint steps: each later step's fact is merged into the endpoint's report
/// (so <c>domain_scan_completed</c> is the whole report), a skipped step changes nothing, and a replay continues at the
/// step after the last recorded one.
/// </summary>
public class FullDepthStateMachineTests
{
    private static readonly string[] Steps = ["session", "tls_assessment", "certificate", "vulnerabilities", "client_simulation"];

    private static StartTargetScan StartFull() => new(TargetId, "example.org", [XmppMode.C2S], Steps);

    private static TlsAssessmentReport Assessment(string protocol) => new(ProbeStatus.Completed, null, "full", null,
        [new ProtocolAssessment(Protocol: protocol, Supported: true, SuiteOrder: NegotiationOrder.Server,
            Suites: [new AcceptedSuite(0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", 128, true, true, "ECDH x25519")], Ssl2CipherKinds: [], Refusal: null, CandidatesTested: 3, Connections: 3, ServerHelloHex: null, Errors: [])],
        new KeyExchangeFacts([], null, [], NegotiationOrder.Indeterminate, [], NegotiationOrder.Indeterminate), null, new ConnectionCounts(3, 3, []));

    private static RecordStepResult Assessed(int i) =>
        new(new StepKey("tls_assessment", XmppMode.C2S, i), StepStatus.Completed, null, 1, [new EndpointTlsAssessed(XmppMode.C2S, i, Assessment("TLSv1.2"))]);

    private static RecordStepResult Probed(int i) =>
        new(new StepKey("vulnerabilities", XmppMode.C2S, i), StepStatus.Completed, null, 1, [new EndpointVulnerabilitiesObserved(XmppMode.C2S, i,
            VulnerabilityReport.Of([], [], 7))]);

    private static RecordStepResult Simulated(int i) =>
        new(new StepKey("client_simulation", XmppMode.C2S, i), StepStatus.Completed, null, 1,
            [new EndpointClientsSimulated(XmppMode.C2S, i, new ClientSimulationReport([], 16))]);

    private static RecordStepResult Skipped(string step, int i) => new(new StepKey(step, XmppMode.C2S, i), StepStatus.Skipped, null, 1, []);

    [Fact]
    public void AfterTheSession_nextIsTheAssessmentOfTheSameEndpoint_andItsFactIsMergedIntoTheReport()
    {
        var (state, _) = Run(StartFull(), Discovered(2), Session(0));
        Assert.Equal(new StepKey("tls_assessment", XmppMode.C2S, 0), TargetStateMachine.NextStep(state));

        (state, _) = Apply(state, Assessed(0));
        (state, _) = Apply(state, Skipped("certificate", 0));
        var report = state.Mode(XmppMode.C2S).Reports[0];
        Assert.Equal("TLSv1.2", Assert.Single(report.Assessment!.Protocols).Protocol);
        Assert.Equal("TLSv1.3", report.Tls!.Protocol); // the session's facts stay
        Assert.Equal(new StepKey("vulnerabilities", XmppMode.C2S, 0), TargetStateMachine.NextStep(state));
    }

    [Fact]
    public void LastStep_projectsTheWholeEndpointReport()
    {
        var (state, events) = Run(StartFull(), Discovered(1), Session(0), Assessed(0), Skipped("certificate", 0), Probed(0), Simulated(0));

        var report = ReportOf(state, events);
        var endpoint = Assert.Single(report.Endpoints);
        Assert.NotNull(endpoint.Assessment);
        Assert.Equal(7, endpoint.Vulnerabilities!.Connections);
        Assert.Equal(16, endpoint.ClientSimulation!.Connections);
        Assert.Single(events.Select(e => e.Payload).OfType<TargetScanCompleted>());
    }

    [Fact]
    public void SkippedSteps_leaveTheSessionReportAsItIs()
    {
        var (state, events) = Run(StartFull(), Discovered(1), Session(0),
            Skipped("tls_assessment", 0), Skipped("certificate", 0), Skipped("vulnerabilities", 0), Skipped("client_simulation", 0));

        var endpoint = Assert.Single(ReportOf(state, events).Endpoints);
        Assert.Equal(Report(0), endpoint);
    }

    [Fact]
    public void FactForAnEndpointWithoutSessionReport_changesNothing()
    {
        var (state, _) = Run(StartFull(), Discovered(1));
        var after = TargetStateMachine.Evolve(state, new EndpointTlsAssessed(XmppMode.C2S, 0, Assessment("TLSv1.2")), state.LastSequence + 1);
        Assert.Empty(after.Mode(XmppMode.C2S).Reports);
    }

    [Fact]
    public void ReplayAfterACrashBetweenSteps_continuesAtTheNextStep_withTheMergedReport()
    {
        var (live, events) = Run(StartFull(), Discovered(2), Session(0), Assessed(0));

        var replayed = TargetStateMachine.Replay(events);
        Assert.Equal(new StepKey("certificate", XmppMode.C2S, 0), TargetStateMachine.NextStep(replayed));
        Assert.Equal(live.Mode(XmppMode.C2S).Reports[0].Assessment, replayed.Mode(XmppMode.C2S).Reports[0].Assessment);
        Assert.Empty(TargetStateMachine.Decide(replayed, Assessed(0))); // the assessment redelivered: nothing twice
    }

    [Fact]
    public void ChainOfTheSession_isKeptPerEndpoint_andTheInspectedCertificateReplacesTheSessionsOne()
    {
        var where = new EndpointRef("192.0.2.11", 5222, XmppMode.C2S, TlsTransport.StartTls);
        var session = new RecordStepResult(new StepKey("session", XmppMode.C2S, 1), StepStatus.Completed, null, 1,
        [
            new CertificateObserved(where, 0, "leaf", 1), new CertificateObserved(where, 1, "intermediate", 1),
            new EndpointSessionObserved(XmppMode.C2S, 1, Report(1)),
        ]);
        var (state, _) = Run(StartFull(), Discovered(2), Session(0), Assessed(0), Skipped("certificate", 0), Probed(0), Simulated(0), session);
        Assert.Equal(["leaf", "intermediate"], state.Mode(XmppMode.C2S).Chains[1]);
        Assert.False(state.Mode(XmppMode.C2S).Chains.ContainsKey(0));

        var inspected = new Shared.Certificates.TrustVerdict(false, [], [], null);
        var certificate = new CertificateReport([], inspected, null, [], ChainSource.Session);
        (state, _) = Apply(state, Assessed(1));
        (state, _) = Apply(state, new RecordStepResult(new StepKey("certificate", XmppMode.C2S, 1), StepStatus.Completed, null, 1,
            [new EndpointCertificateInspected(XmppMode.C2S, 1, certificate)]));
        Assert.Same(certificate, state.Mode(XmppMode.C2S).Reports[1].Certificate);
        Assert.Equal(new StepKey("vulnerabilities", XmppMode.C2S, 1), TargetStateMachine.NextStep(state));
    }
}
