using System.Net;
using XmppScanCluster.ScanNode.Actors.Steps;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Messages;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.ScanNode.Actors;

/// <summary>What a local run of one target produced: its final state and every event in order (the journal a
/// census would have written).</summary>
public sealed record LocalTargetResult(TargetState State, IReadOnlyList<IEventData> Events)
{
    /// <summary>The per-mode results, in the target's mode order (each a <c>domain_scan_completed</c> with its
    /// endpoints, as <see cref="TargetStateMachine.Evolve"/> projects them).</summary>
    public IReadOnlyList<DomainReport> Reports => [.. State.Modes.Select(m => State.Mode(m).Report).OfType<DomainReport>()];
}

/// <summary>
/// One target scanned in this process by the census's own parts — <see cref="TargetStateMachine"/>'s
/// <c>Decide</c>/<c>Evolve</c>/<c>NextStep</c>, the <see cref="ScanStepRegistry"/>'s steps and the
/// <see cref="StepRunner"/> — with the events kept in a list instead of a journal and no actor system: what
/// <c>xmppscan scan</c> runs, so its report and a census's <c>domain_scan_completed</c> are built by the same code
/// (a one-node actor system would cost seconds and ~200 MB before the first connection; see issue 11).
/// </summary>
public sealed class LocalTargetScan(ScanStepRegistry steps, StepRunner runner)
{
    /// <summary>Runs every step of <paramref name="domain"/> in <paramref name="modes"/>.</summary>
    /// <param name="domain">The service domain (IDNA ASCII).</param>
    /// <param name="modes">The modes, in scan order.</param>
    /// <param name="onReport">Told each mode's result as soon as its last step is recorded.</param>
    /// <param name="ct">Cancels the scan (Ctrl-C).</param>
    /// <exception cref="OperationCanceledException">Only when <paramref name="ct"/> is cancelled.</exception>
    public async Task<LocalTargetResult> RunAsync(string domain, IReadOnlyList<XmppMode> modes,
        Func<DomainReport, CancellationToken, Task>? onReport, CancellationToken ct)
    {
        var events = new List<IEventData>();
        var state = TargetState.Empty;
        async Task ApplyAsync(ITargetCommand command)
        {
            foreach (var e in TargetStateMachine.Decide(state, command))
            {
                events.Add(e);
                state = TargetStateMachine.Evolve(state, e, state.LastSequence + 1);
                if (e is DomainScanCompleted done && onReport is not null && state.Mode(done.Report.Mode).Report is { } report)
                {
                    await onReport(report, ct).ConfigureAwait(false);
                }
            }
        }

        await ApplyAsync(new StartTargetScan(Guid.NewGuid(), domain, modes, steps.EndpointStepNames)).ConfigureAwait(false);
        while (TargetStateMachine.NextStep(state) is { } key)
        {
            ct.ThrowIfCancellationRequested();
            await ApplyAsync(await RunStepAsync(key, state, ct).ConfigureAwait(false)).ConfigureAwait(false);
        }

        return new LocalTargetResult(state, events);
    }

    /// <summary>
    /// One step through the runner. An exception escaping a step is our bug (every server behaviour is classified at
    /// the probe that met it): the step is recorded failed with the reason, so the endpoint's other facts and the
    /// target's other endpoints are still reported — where a census actor would stop and retry the target.
    /// </summary>
    private async Task<RecordStepResult> RunStepAsync(StepKey key, TargetState state, CancellationToken ct)
    {
        if (steps.Find(key.Step) is not { } step)
        {
            return new RecordStepResult(key, StepStatus.Skipped, null, 0, []);
        }

        var endpoint = key.EndpointIndex is { } i ? ToEndpoint(state.Mode(key.Mode).Endpoints[i]) : null;
        try
        {
            return await runner.RunAsync(step, key, new StepInput(state.Domain!, key.Mode, key.EndpointIndex, endpoint, state), ct)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return new RecordStepResult(key, StepStatus.Failed, WireFailures.Internal(e, "the " + key.Step + " step"), 1, []);
        }
    }

    private static XmppEndpoint ToEndpoint(EndpointDiscovered e) =>
        new(e.Domain, e.Mode, e.Transport, e.Target, IPAddress.Parse(e.Address), e.Port, e.Priority, e.Weight, e.Source);
}
