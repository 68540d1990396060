using System.Net;
using Akka.Actor;
using Akka.Persistence;
using XmppScanCluster.ScanNode.Actors.Persistence;
using XmppScanCluster.ScanNode.Actors.Steps;
using XmppScanCluster.ScanNode.Metrics;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Messages;

namespace XmppScanCluster.ScanNode.Actors;

/// <summary>The target is completed (now or earlier); <paramref name="StepsRun"/> counts the steps this actor ran
/// (not replayed ones): what a resumed census did not redo.</summary>
public sealed record TargetFinished(TargetState State, int StepsRun);

/// <summary>The actor stopped before completing: a step or the journal failed (<paramref name="Cause"/>), or it was stopped
/// (<see cref="OperationCanceledException"/>). <paramref name="JournalFailed"/>: the census's own journal failed (a write
/// or the replay timed out or met an open circuit breaker), which says nothing about the server.</summary>
public sealed record TargetStopped(Exception Cause, int StepsRun, bool JournalFailed = false);

/// <summary>
/// One target in one region as an Akka.NET persistent actor around the pure <see cref="TargetStateMachine"/>:
/// recovery replays the stream through <c>Evolve</c>; then command → <c>Decide</c> → persist → <c>Evolve</c> → run
/// <c>NextStep</c> (the only I/O besides the journal) and pipe its <see cref="RecordStepResult"/> to itself. A target
/// that crashed continues at the step after its last recorded one; a completed target runs nothing. It tells
/// <c>replyTo</c> once, <see cref="TargetFinished"/> or <see cref="TargetStopped"/>, then stops.
/// </summary>
public sealed class TargetActor : ReceivePersistentActor
{
    private readonly ScanStepRegistry _steps;
    private readonly StepRunner _runner;
    private readonly IActorRef _replyTo;
    private readonly Guid _censusId;
    private readonly CancellationTokenSource _stopping = new();
    private TargetState _state = TargetState.Empty;
    private Exception? _failure;
    private bool _replied;
    private bool _journalFailed;
    private int _stepsRun;

    public TargetActor(string persistenceId, ScanStepRegistry steps, StepRunner runner, IActorRef replyTo)
    {
        PersistenceId = persistenceId;
        _censusId = TargetPersistenceIds.Parse(persistenceId).CensusId;
        _steps = steps;
        _runner = runner;
        _replyTo = replyTo;

        Recover<IEventData>(e => _state = TargetStateMachine.Evolve(_state, e, LastSequenceNr));
        Command<StartTargetScan>(Handle);
        Command<AbandonTargetScan>(Handle);
        Command<RecordStepResult>(Handle);
        Command<Status.Failure>(f => Stop(f.Cause));
    }

    public override string PersistenceId { get; }

    public static Props Props(string persistenceId, ScanStepRegistry steps, StepRunner runner, IActorRef replyTo) =>
        Akka.Actor.Props.Create(() => new TargetActor(persistenceId, steps, runner, replyTo));

    private void Handle(ITargetCommand command)
    {
        var events = TargetStateMachine.Decide(_state, command);
        if (events.Count == 0)
        {
            Continue();
            return;
        }

        // Wrapped with the census so the journal's write adapter (CensusTagging) tags them; stored bare.
        PersistAll(events.Select(e => new CensusEvent(_censusId, e)),
            e =>
            {
                _state = TargetStateMachine.Evolve(_state, e.Event, LastSequenceNr);
                NodeMetrics.EventsWritten.Add(1);
            });
        DeferAsync(command, _ => Continue());
    }

    /// <summary>Runs the next step, or replies when there is none (completed, or not started: nothing to do).</summary>
    private void Continue()
    {
        if (TargetStateMachine.NextStep(_state) is not { } next)
        {
            if (_state.Completed && _stepsRun > 0)
            {
                NodeMetrics.TargetsFinished.Add(1, new KeyValuePair<string, object?>("outcome",
                    _state.Outcome?.ToString().ToLowerInvariant() ?? "unknown"));
            }

            Reply(new TargetFinished(_state, _stepsRun));
            Context.Stop(Self);
            return;
        }

        _stepsRun++;
        RunStepAsync(next, _stopping.Token).PipeTo(Self, failure: e => new Status.Failure(e));
    }

    private Task<RecordStepResult> RunStepAsync(StepKey key, CancellationToken ct)
    {
        var step = _steps.Find(key.Step);
        if (step is null)
        {
            return Task.FromResult(new RecordStepResult(key, StepStatus.Skipped, null, 0, []));
        }

        var endpoint = key.EndpointIndex is { } i ? ToEndpoint(_state.Mode(key.Mode).Endpoints[i]) : null;
        var input = new StepInput(_state.Domain!, key.Mode, key.EndpointIndex, endpoint, _state);
        return _runner.RunAsync(step, key, input, ct);
    }

    private void Stop(Exception cause)
    {
        _failure = Unwrap(cause);
        Context.Stop(Self);
    }

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        _failure = Unwrap(reason);
        _journalFailed = true;
        base.OnRecoveryFailure(reason, message);
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _failure = Unwrap(cause);
        _journalFailed = true;
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    /// <summary>A rejected write (another node wrote this stream, or the store refused it) ends this actor too: its
    /// state would otherwise run ahead of its journal.</summary>
    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        Stop(cause);
    }

    protected override void PreStart()
    {
        NodeMetrics.TargetActorsAlive.Add(1);
        base.PreStart();
    }

    protected override void PostStop()
    {
        NodeMetrics.TargetActorsAlive.Add(-1);
        _stopping.Cancel();
        _stopping.Dispose();
        Reply(new TargetStopped(_failure ?? new OperationCanceledException("target actor stopped"), _stepsRun, _journalFailed));
        base.PostStop();
    }

    private void Reply(object message)
    {
        if (!_replied)
        {
            _replied = true;
            _replyTo.Tell(message);
        }
    }

    private static Exception Unwrap(Exception e) =>
        e is AggregateException { InnerExceptions.Count: 1 } a ? Unwrap(a.InnerExceptions[0]) : e;

    private static Shared.Model.XmppEndpoint ToEndpoint(EndpointDiscovered e) =>
        new(e.Domain, e.Mode, e.Transport, e.Target, IPAddress.Parse(e.Address), e.Port, e.Priority, e.Weight, e.Source);
}
