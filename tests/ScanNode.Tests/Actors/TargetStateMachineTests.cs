using XmppScanCluster.ScanNode.Actors;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Messages;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using static XmppScanCluster.ScanNode.Tests.Actors.TargetFacts;

namespace XmppScanCluster.ScanNode.Tests.Actors;

public class TargetStateMachineTests
{
    [Fact]
    public void Start_emitsTargetScanStarted_andNextIsDiscover()
    {
        var (state, events) = Run(Start());

        Assert.IsType<TargetScanStarted>(Assert.Single(events).Payload);
        Assert.Equal(new StepKey("discover", XmppMode.C2S, null), TargetStateMachine.NextStep(state));
        Assert.Equal(1, state.LastSequence);
    }

    [Fact]
    public void StartRedelivered_decidesNothing()
    {
        var (state, _) = Run(Start());
        Assert.Empty(TargetStateMachine.Decide(state, Start()));
    }

    [Fact]
    public void Discovered_recordsEndpointsAndStep_thenNextIsSessionOnFirstEndpoint()
    {
        var (state, events) = Run(Start(), Discovered(2));

        Assert.Equal(["target_scan_started", "endpoint_discovered", "endpoint_discovered", "discovery_completed", "scan_step_completed"],
            events.Select(e => TypeName(e.Payload)));
        Assert.Equal(2, state.Mode(XmppMode.C2S).Endpoints.Count);
        Assert.Equal(new StepKey("session", XmppMode.C2S, 0), TargetStateMachine.NextStep(state));
    }

    [Fact]
    public void SessionOnFirstEndpoint_nextIsSecondEndpoint_noReportYet()
    {
        var (state, events) = Run(Start(), Discovered(2), Session(0));

        Assert.Equal(new StepKey("session", XmppMode.C2S, 1), TargetStateMachine.NextStep(state));
        Assert.DoesNotContain(events, e => e.Payload is DomainScanCompleted);
    }

    [Fact]
    public void LastStep_projectsDomainReport_andCompletesTarget_inTheSameBatch()
    {
        var (before, _) = Run(Start(), Discovered(2), Session(0));
        var (state, events) = Apply(before, Session(1));

        Assert.Equal(["endpoint_session_observed", "scan_step_completed", "domain_scan_completed", "target_scan_completed"],
            events.Select(e => TypeName(e.Payload)));
        Assert.IsType<DomainScanCompleted>(events[2].Payload);
        var report = ReportOf(state, events);
        Assert.Equal(ProbeStatus.Completed, report.Status);
        Assert.Equal(["192.0.2.10", "192.0.2.11"], report.Endpoints.Select(e => e.Address));
        Assert.True(state.Completed);
        Assert.Null(TargetStateMachine.NextStep(state));
        Assert.Equal("done", TargetStateMachine.Phase(state));
    }

    [Fact]
    public void StepThatIsNotNext_decidesNothing_soRedeliveryIsIdempotent()
    {
        var (state, _) = Run(Start(), Discovered(2), Session(0));

        Assert.Empty(TargetStateMachine.Decide(state, Session(0)));
        Assert.Empty(TargetStateMachine.Decide(state, Discovered(2)));
        Assert.Empty(TargetStateMachine.Decide(TargetState.Empty, Session(0)));
    }

    [Fact]
    public void CompletedTarget_acceptsNothing()
    {
        var (state, _) = Run(Start(), Discovered(1), Session(0));
        Assert.True(state.Completed);
        Assert.Empty(TargetStateMachine.Decide(state, Session(0)));
        Assert.Empty(TargetStateMachine.Decide(state, Start()));
    }

    [Fact]
    public void ServiceDisabled_completesWithoutEndpoints()
    {
        var disabled = new RecordStepResult(new StepKey("discover", XmppMode.C2S, null), StepStatus.Completed, null, 1,
            [new DiscoveryCompleted("example.org", XmppMode.C2S, TargetFacts.Dns(disabled: true), 0)]);
        var (state, events) = Run(Start(), disabled);

        var report = ReportOf(state, events);
        Assert.Equal(ProbeStatus.Completed, report.Status);
        Assert.Empty(report.Endpoints);
        Assert.Equal(ProbeStatus.Completed, state.Outcome);
    }

    [Fact]
    public void DiscoveryFailed_failsTheDomainWithTheDnsReason()
    {
        var failure = new ProbeFailure(FailureKind.DnsFailure, "NXDOMAIN");
        var failed = new RecordStepResult(new StepKey("discover", XmppMode.C2S, null), StepStatus.Failed, failure, 1,
            [new DiscoveryCompleted("example.org", XmppMode.C2S, TargetFacts.Dns(), 0)]);
        var (state, events) = Run(Start(), failed);

        var report = ReportOf(state, events);
        Assert.Equal(ProbeStatus.Failed, report.Status);
        Assert.Equal(FailureKind.DnsFailure, report.Failure!.Kind);
        Assert.Equal(ProbeStatus.Failed, state.Outcome);
        Assert.Equal(FailureKind.DnsFailure, events.Select(e => e.Payload).OfType<TargetScanCompleted>().Single().Failure);
    }

    [Fact]
    public void ThrottledStep_isInconclusive_neverNotSupported()
    {
        var reset = new ProbeFailure(FailureKind.ConnectionClosed, "ConnectionReset: reset by peer");
        var throttled = new RecordStepResult(new StepKey("session", XmppMode.C2S, 0), StepStatus.Inconclusive, reset, 3, []);
        var (state, events) = Run(Start(), Discovered(1), throttled);

        var step = events.Select(e => e.Payload).OfType<ScanStepCompleted>().Last();
        Assert.Equal(StepStatus.Inconclusive, step.Status);
        var endpoint = Assert.Single(ReportOf(state, events).Endpoints);
        Assert.Equal(ProbeStatus.Failed, endpoint.Status);
        Assert.StartsWith("inconclusive (throttled)", endpoint.Failure!.Message);
        Assert.NotEqual(FailureKind.StartTlsNotOffered, endpoint.Failure.Kind);
        Assert.Null(endpoint.Tls);
    }

    [Fact]
    public void TwoModes_firstModeReportedBeforeSecondModeStarts()
    {
        var (state, events) = Run(Start(XmppMode.C2S, XmppMode.S2S), Discovered(1), Session(0));

        var report = ReportOf(state, events);
        Assert.Equal(XmppMode.C2S, report.Mode);
        Assert.False(state.Completed);
        Assert.Equal(new StepKey("discover", XmppMode.S2S, null), TargetStateMachine.NextStep(state));

        var (done, more) = Apply(Apply(state, Discovered(1, XmppMode.S2S)).State, Session(0, XmppMode.S2S));
        Assert.Equal(XmppMode.S2S, more.Select(e => e.Payload).OfType<DomainScanCompleted>().Single().Report.Mode);
        Assert.True(done.Completed);
    }

    [Fact]
    public void Replay_ofTheDecidedEvents_yieldsTheSameState()
    {
        ITargetCommand[] commands = [Start(XmppMode.C2S, XmppMode.S2S), Discovered(2), Session(0), Session(1), Discovered(1, XmppMode.S2S), Session(0, XmppMode.S2S)];
        for (var n = 1; n <= commands.Length; n++)
        {
            var (live, events) = Run(commands[..n]);
            var replayed = TargetStateMachine.Replay(events);

            Assert.Equal(Describe(live), Describe(replayed));
        }
    }

    [Fact]
    public void DomainReport_isStoredWithoutItsEndpoints_andReplayPutsThemBack()
    {
        var (live, events) = Run(Start(XmppMode.C2S, XmppMode.S2S), Discovered(2), Session(0), Session(1),
            Discovered(1, XmppMode.S2S), Session(0, XmppMode.S2S));

        var stored = events.Select(e => e.Payload).OfType<DomainScanCompleted>().ToList();
        Assert.Equal(2, stored.Count);
        Assert.All(stored, d => Assert.True(d.EndpointsInStream));
        Assert.All(stored, d => Assert.Empty(d.Report.Endpoints));

        var replayed = TargetStateMachine.Replay(events);
        Assert.Equal(["192.0.2.10", "192.0.2.11"], replayed.Mode(XmppMode.C2S).Report!.Endpoints.Select(e => e.Address));
        Assert.Equal([Report(0), Report(1)], replayed.Mode(XmppMode.C2S).Report!.Endpoints);
        Assert.Equal([Report(0)], replayed.Mode(XmppMode.S2S).Report!.Endpoints);
        var (liveReport, replayedReport) = (live.Mode(XmppMode.C2S).Report!, replayed.Mode(XmppMode.C2S).Report!);
        Assert.Equal(liveReport.Endpoints, replayedReport.Endpoints);
        Assert.Equal(liveReport, replayedReport with { Endpoints = liveReport.Endpoints });
        Assert.Equal(3, Assert.Single(events.Select(e => e.Payload).OfType<TargetScanCompleted>()).Endpoints);
    }

    [Fact]
    public void DomainReportWrittenWhole_isTakenAsItIs()
    {
        var (state, _) = Run(Start(), Discovered(1));
        var whole = new DomainReport("example.org", XmppMode.C2S, ProbeStatus.Completed, null, TargetFacts.Dns(), [Report(5)]);

        var after = TargetStateMachine.Evolve(state, new DomainScanCompleted(whole), state.LastSequence + 1);

        Assert.Same(whole, after.Mode(XmppMode.C2S).Report);
    }

    [Fact]
    public void CrashMidStep_replayContinuesFromTheNextStep_notFromTheStart()
    {
        // Persisted: start, discovery, session on endpoint 0. The node died while endpoint 1's session ran.
        var (_, persisted) = Run(Start(), Discovered(3), Session(0));

        var recovered = TargetStateMachine.Replay(persisted);

        Assert.Equal(new StepKey("session", XmppMode.C2S, 1), TargetStateMachine.NextStep(recovered));
        Assert.Empty(TargetStateMachine.Decide(recovered, Start()));
        var (after, events) = Apply(recovered, Session(1));
        Assert.Equal(persisted[^1].Sequence + 1, events[0].Sequence);
        Assert.Equal(new StepKey("session", XmppMode.C2S, 2), TargetStateMachine.NextStep(after));
    }

    [Fact]
    public void UnknownEvents_onlyAdvanceTheSequence()
    {
        var (state, events) = Run(Start());
        var replayed = TargetStateMachine.Replay([.. events, (new StartTlsRequired(new EndpointRef("192.0.2.1", 5222, XmppMode.C2S, TlsTransport.StartTls)), 2)]);

        Assert.Equal(2, replayed.LastSequence);
        Assert.Equal(TargetStateMachine.NextStep(state), TargetStateMachine.NextStep(replayed));
    }

    [Fact]
    public void Abandon_failsEveryModeWithoutResult_andCompletesTheTarget()
    {
        var reason = new ProbeFailure(FailureKind.Cancelled, "scanner error");
        var (state, _) = Run(Start(XmppMode.C2S, XmppMode.S2S), Discovered(1), Session(0), Discovered(2, XmppMode.S2S));

        var (after, events) = Apply(state, new AbandonTargetScan(reason));

        var report = ReportOf(after, events);
        Assert.Equal(XmppMode.S2S, report.Mode);
        Assert.Equal(ProbeStatus.Failed, report.Status);
        Assert.Equal(reason, report.Failure);
        Assert.Equal(2, report.Endpoints.Count);
        Assert.True(after.Completed);
        Assert.Equal(ProbeStatus.Failed, after.Outcome);
        Assert.Empty(TargetStateMachine.Decide(after, new AbandonTargetScan(reason)));
        Assert.Empty(TargetStateMachine.Decide(TargetState.Empty, new AbandonTargetScan(reason)));
    }

    private static string TypeName(IEventData e) => e switch
    {
        TargetScanStarted => TargetScanStarted.TypeName,
        EndpointDiscovered => EndpointDiscovered.TypeName,
        DiscoveryCompleted => DiscoveryCompleted.TypeName,
        EndpointSessionObserved => EndpointSessionObserved.TypeName,
        ScanStepCompleted => ScanStepCompleted.TypeName,
        DomainScanCompleted => DomainScanCompleted.TypeName,
        TargetScanCompleted => TargetScanCompleted.TypeName,
        _ => e.GetType().Name,
    };

    private static string Describe(TargetState s) => string.Join("|",
        s.Domain, string.Join(",", s.Modes), s.Completed, s.Outcome, s.LastSequence, TargetStateMachine.NextStep(s),
        string.Join(";", s.ByMode.OrderBy(m => m.Key).Select(m =>
            $"{m.Key}:{m.Value.Discovered}:{m.Value.Endpoints.Count}:{m.Value.Reports.Count}:{m.Value.Done.Count}:{m.Value.Report?.Status}")));
}
