using System.Collections.Immutable;
using XmppScanCluster.ScanNode.Scanning;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Messages;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.ScanNode.Actors;

/// <summary>
/// The target's state machine as pure functions, no I/O: <see cref="Decide"/> turns a command into events,
/// <see cref="Evolve"/> applies one event, <see cref="NextStep"/> says what to run next. Order per mode:
/// <c>discover</c>, then every endpoint step on endpoint 0, then on endpoint 1, …; when a mode's last step is
/// recorded, its <c>domain_scan_completed</c> (the projection of its step events) is decided in the same
/// batch, and after the last mode <c>target_scan_completed</c>. Commands that do not apply (a step that is not
/// next, a start after the start) decide nothing, so redelivery is harmless.
/// </summary>
public static class TargetStateMachine
{
    public const string DiscoverStep = "discover";

    public static IReadOnlyList<IEventData> Decide(TargetState state, ITargetCommand command) => command switch
    {
        StartTargetScan start => state.Started ? [] : [new TargetScanStarted(start.TargetId, start.Domain, start.Modes, start.EndpointSteps)],
        RecordStepResult result => DecideStep(state, result),
        AbandonTargetScan abandon => DecideAbandon(state, abandon),
        _ => throw new ArgumentException($"unknown command {command.GetType().Name}", nameof(command)),
    };

    /// <summary>Applies one event; events that change nothing here (other facts) only advance the sequence.</summary>
    public static TargetState Evolve(TargetState state, IEventData payload, long sequence)
    {
        state = state with { LastSequence = Math.Max(state.LastSequence, sequence) };
        return payload switch
        {
            TargetScanStarted s when !state.Started => state with
            {
                Domain = s.Domain, Modes = [.. s.Modes], EndpointSteps = [.. s.EndpointSteps],
            },
            EndpointDiscovered e => Update(state, e.Mode, m => m with { Endpoints = m.Endpoints.Add(e) }),
            DiscoveryCompleted d => Update(state, d.Mode, m => m with { Dns = d.Dns }),
            EndpointSessionObserved o => Update(state, o.Mode, m => m with { Reports = m.Reports.SetItem(o.Index, o.Report) }),
            CertificateObserved { EndpointIndex: { } i } c => Update(state, c.Endpoint.Mode, m => m with
            {
                Chains = m.Chains.SetItem(i, m.Chains.GetValueOrDefault(i, []).Add(c.Sha256)),
            }),
            EndpointCertificateInspected ci => UpdateReport(state, ci.Mode, ci.Index, r => r with { Certificate = ci.Certificate }),
            EndpointTlsAssessed a => UpdateReport(state, a.Mode, a.Index, r => EndpointOutcome.WithAssessment(r, a.Assessment)),
            EndpointVulnerabilitiesObserved v => UpdateReport(state, v.Mode, v.Index, r => r with { Vulnerabilities = v.Vulnerabilities }),
            EndpointClientsSimulated c => UpdateReport(state, c.Mode, c.Index, r => r with { ClientSimulation = c.ClientSimulation }),
            ScanStepCompleted c when c.EndpointIndex is null => Update(state, c.Mode, m => m with
            {
                Discovered = true, DiscoveryFailure = c.Status == StepStatus.Completed ? null : c.Failure,
            }),
            ScanStepCompleted c => Update(state, c.Mode, m => m with { Done = m.Done.SetItem((c.Step, c.EndpointIndex!.Value), c) }),
            DomainScanCompleted d => Update(state, d.Report.Mode, m => m with { Report = Whole(state, d, m) }),
            TargetScanCompleted t => state with { Completed = true, Outcome = t.Status },
            _ => state,
        };
    }

    /// <summary>Folds events in order (recovery = replay).</summary>
    public static TargetState Replay(IEnumerable<(IEventData Payload, long Sequence)> events) =>
        events.Aggregate(TargetState.Empty, (s, e) => Evolve(s, e.Payload, e.Sequence));

    /// <summary>The step to run now; null when not started or every step is recorded.</summary>
    public static StepKey? NextStep(TargetState state)
    {
        if (!state.Started || state.Completed)
        {
            return null;
        }

        foreach (var mode in state.Modes)
        {
            var m = state.Mode(mode);
            if (!m.Discovered)
            {
                return new StepKey(DiscoverStep, mode, null);
            }

            for (var i = 0; i < m.Endpoints.Count; i++)
            {
                foreach (var step in state.EndpointSteps)
                {
                    if (!m.Done.ContainsKey((step, i)))
                    {
                        return new StepKey(step, mode, i);
                    }
                }
            }
        }

        return null;
    }

    /// <summary>A short name of where the target is, for progress: a step name or "done".</summary>
    public static string Phase(TargetState state) =>
        state.Completed ? "done" : NextStep(state)?.Step ?? (state.Started ? "report" : "new");

    private static IReadOnlyList<IEventData> DecideStep(TargetState state, RecordStepResult result)
    {
        if (NextStep(state) != result.Key)
        {
            return [];
        }

        var events = new List<IEventData>(result.Facts.Count + 3);
        events.AddRange(result.Facts);
        events.Add(new ScanStepCompleted(result.Key.Step, result.Key.Mode, result.Key.EndpointIndex, result.Status,
            result.Failure, result.Attempts));

        // Look ahead with Evolve (still pure): when this was the mode's last step, its report follows at once.
        var after = events.Aggregate(state, (s, e) => Evolve(s, e, s.LastSequence + 1));
        var next = NextStep(after);
        foreach (var mode in after.Modes)
        {
            var m = after.Mode(mode);
            var modeDone = next is null || after.Modes.IndexOf(next.Mode) > after.Modes.IndexOf(mode);
            if (m.Report is null && modeDone)
            {
                var report = DomainReportProjection.Build(after.Domain!, mode, m, after.EndpointSteps);
                events.Add(Completed(report));
                after = Evolve(after, events[^1], after.LastSequence + 1);
            }
        }

        if (next is null)
        {
            var reports = after.Modes.Select(mode => after.Mode(mode).Report!).ToList();
            var failed = reports.FirstOrDefault(r => r.Status == ProbeStatus.Failed);
            events.Add(new TargetScanCompleted(after.Domain!, failed is null ? ProbeStatus.Completed : ProbeStatus.Failed,
                failed?.Failure?.Kind, reports.Sum(r => r.Endpoints.Count)));
        }

        return events;
    }

    private static IReadOnlyList<IEventData> DecideAbandon(TargetState state, AbandonTargetScan abandon)
    {
        if (!state.Started || state.Completed)
        {
            return [];
        }

        var events = new List<IEventData>();
        foreach (var mode in state.Modes.Where(m => state.Mode(m).Report is null))
        {
            var report = DomainReportProjection.Build(state.Domain!, mode, state.Mode(mode), state.EndpointSteps);
            events.Add(Completed(report with { Status = ProbeStatus.Failed, Failure = abandon.Reason }));
        }

        events.Add(new TargetScanCompleted(state.Domain!, ProbeStatus.Failed, abandon.Reason.Kind,
            state.Modes.Sum(m => state.Mode(m).Endpoints.Count)));
        return events;
    }

    /// <summary>The mode's result as stored: its endpoints are this stream's endpoint events, so the event does not
    /// repeat them (<see cref="DomainScanCompleted.EndpointsInStream"/>); <see cref="Whole"/> puts them back.</summary>
    private static DomainScanCompleted Completed(DomainReport report) => new(report with { Endpoints = [] }, EndpointsInStream: true);

    /// <summary>The report of a <c>domain_scan_completed</c>: as stored, or with its endpoints projected from the
    /// stream's events before it — the same projection <see cref="DecideStep"/> and <see cref="DecideAbandon"/> built
    /// it with, from the same events, so the same endpoints.</summary>
    private static DomainReport Whole(TargetState state, DomainScanCompleted d, ModeProgress m) =>
        d.EndpointsInStream
            ? d.Report with { Endpoints = DomainReportProjection.Build(d.Report.Domain, d.Report.Mode, m, state.EndpointSteps).Endpoints }
            : d.Report;

    private static TargetState Update(TargetState state, Shared.Model.XmppMode mode, Func<ModeProgress, ModeProgress> change) =>
        state with { ByMode = state.ByMode.SetItem(mode, change(state.Mode(mode))) };

    /// <summary>Merges a later step's facts into the endpoint's report (the session's, which always comes first), so the
    /// projected report has the same parts <c>xmppscan scan</c> fills in. Without a session report there is nothing to
    /// merge into (the steps skip such endpoints).</summary>
    private static TargetState UpdateReport(TargetState state, Shared.Model.XmppMode mode, int index, Func<EndpointReport, EndpointReport> change) =>
        state.Mode(mode).Reports.TryGetValue(index, out var report)
            ? Update(state, mode, m => m with { Reports = m.Reports.SetItem(index, change(report)) })
            : state;
}
