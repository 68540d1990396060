using XmppScanCluster.ScanNode.Actors;
using XmppScanCluster.Shared.Dns;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Messages;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.ScanNode.Tests.Actors;

/// <summary>Commands and facts for state machine tests: a domain with two endpoints, discovered and scanned.</summary>
internal static class TargetFacts
{
    public static readonly Guid TargetId = Guid.Parse("0b7e6c1d-2a3f-4e5d-8c9b-a1b2c3d4e5f6");

    public static StartTargetScan Start(params XmppMode[] modes) =>
        new(TargetId, "example.org", modes.Length == 0 ? [XmppMode.C2S] : modes, ["session"]);

    public static EndpointDiscovered Endpoint(int i, XmppMode mode = XmppMode.C2S) =>
        new("example.org", mode, TlsTransport.StartTls, "xmpp.example.org", $"192.0.2.{10 + i}", 5222, 0, 5, EndpointSource.Srv);

    public static DnsReport Dns(bool disabled = false) => new([], disabled, false, DnssecStatus.Insecure, []);

    public static RecordStepResult Discovered(int endpoints, XmppMode mode = XmppMode.C2S) =>
        new(new StepKey(TargetStateMachine.DiscoverStep, mode, null), StepStatus.Completed, null, 1,
            [.. Enumerable.Range(0, endpoints).Select(i => (IEventData)Endpoint(i, mode)), new DiscoveryCompleted("example.org", mode, Dns(), endpoints)]);

    public static RecordStepResult Session(int i, XmppMode mode = XmppMode.C2S) =>
        new(new StepKey("session", mode, i), StepStatus.Completed, null, 1,
            [new EndpointSessionObserved(mode, i, Report(i))]);

    public static EndpointReport Report(int i) => new("xmpp.example.org", $"192.0.2.{10 + i}", 5222, TlsTransport.StartTls, 0, 5,
        EndpointSource.Srv, ProbeStatus.Completed, null, null, new TlsSessionReport("TLSv1.3", null, null), null, 12);

    /// <summary>Decides and applies, as the actor does; returns the new state and the events with their sequences.</summary>
    public static (TargetState State, List<(IEventData Payload, long Sequence)> Events) Apply(TargetState state, ITargetCommand command)
    {
        var events = new List<(IEventData, long)>();
        foreach (var e in TargetStateMachine.Decide(state, command))
        {
            var seq = state.LastSequence + 1;
            state = TargetStateMachine.Evolve(state, e, seq);
            events.Add((e, seq));
        }

        return (state, events);
    }

    /// <summary>The whole report of the one <c>domain_scan_completed</c> among <paramref name="events"/>: the state's, as
    /// <c>Evolve</c> projects it (the event itself does not repeat the endpoints).</summary>
    public static DomainReport ReportOf(TargetState state, List<(IEventData Payload, long Sequence)> events) =>
        state.Mode(Assert.Single(events.Select(e => e.Payload).OfType<DomainScanCompleted>()).Report.Mode).Report!;

    /// <summary>Runs commands in order, collecting every event.</summary>
    public static (TargetState State, List<(IEventData Payload, long Sequence)> Events) Run(params ITargetCommand[] commands)
    {
        var state = TargetState.Empty;
        var all = new List<(IEventData, long)>();
        foreach (var c in commands)
        {
            var (next, events) = Apply(state, c);
            state = next;
            all.AddRange(events);
        }

        return (state, all);
    }
}
