using System.Net;
using System.Threading.Channels;
using XmppScanCluster.ScanNode.Actors.Steps;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Messages;

namespace XmppScanCluster.ScanNode.Actors;

/// <summary>
/// The shell around <see cref="TargetStateMachine"/> for one target in one region: a channel mailbox, recovery
/// by replaying the stream, then receive → decide → persist → evolve. After each recorded step it runs the next
/// step (the only I/O besides the journal) and mails itself the result. A target that crashed continues at the
/// step after its last recorded one; a completed target does nothing.
/// </summary>
public sealed class TargetActor
{
    private readonly Channel<ITargetCommand> _mailbox = Channel.CreateBounded<ITargetCommand>(
        new BoundedChannelOptions(8) { SingleReader = true });
    private readonly EventOrigin _origin;
    private readonly ITargetJournal _journal;
    private readonly ScanStepRegistry _steps;
    private readonly StepRunner _runner;
    private readonly TimeProvider _time;
    private TargetState _state = TargetState.Empty;

    public TargetActor(EventOrigin origin, ITargetJournal journal, ScanStepRegistry steps, StepRunner runner, TimeProvider? time = null)
    {
        _origin = origin;
        _journal = journal;
        _steps = steps;
        _runner = runner;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Steps run by this actor instance (not replayed ones): what a resumed census did not redo.</summary>
    public int StepsRun { get; private set; }

    /// <summary>The state as last evolved.</summary>
    public TargetState State => _state;

    /// <summary>Recovers, starts (or continues) the scan and runs until the target is completed.</summary>
    /// <exception cref="JournalConflictException">Another node wrote this stream: stop, the lease is lost.</exception>
    public async Task<TargetState> RunAsync(StartTargetScan start, CancellationToken ct)
    {
        var history = await _journal.ReadAsync(_origin.CensusId, _origin.TargetId, ct).ConfigureAwait(false);
        _state = TargetStateMachine.Replay(history.Select(e => (Payload(e), e.Sequence)));
        if (_state.Completed)
        {
            return _state;
        }

        await _mailbox.Writer.WriteAsync(start, ct).ConfigureAwait(false);
        await foreach (var command in _mailbox.Reader.ReadAllAsync(ct).ConfigureAwait(false))
        {
            await PersistAsync(TargetStateMachine.Decide(_state, command), ct).ConfigureAwait(false);
            if (TargetStateMachine.NextStep(_state) is not { } next)
            {
                _mailbox.Writer.TryComplete();
                break;
            }

            await _mailbox.Writer.WriteAsync(await RunStepAsync(next, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
        }

        return _state;
    }

    /// <summary>Recovers and gives the target up with <paramref name="reason"/> (see <see cref="AbandonTargetScan"/>).</summary>
    public async Task<TargetState> AbandonAsync(Shared.Model.ProbeFailure reason, CancellationToken ct)
    {
        var history = await _journal.ReadAsync(_origin.CensusId, _origin.TargetId, ct).ConfigureAwait(false);
        _state = TargetStateMachine.Replay(history.Select(e => (Payload(e), e.Sequence)));
        await PersistAsync(TargetStateMachine.Decide(_state, new AbandonTargetScan(reason)), ct).ConfigureAwait(false);
        return _state;
    }

    private async Task<ITargetCommand> RunStepAsync(StepKey key, CancellationToken ct)
    {
        StepsRun++;
        var step = _steps.Find(key.Step);
        if (step is null)
        {
            return new RecordStepResult(key, StepStatus.Skipped, null, 0, []);
        }

        var endpoint = key.EndpointIndex is { } i ? ToEndpoint(_state.Mode(key.Mode).Endpoints[i]) : null;
        var input = new StepInput(_state.Domain!, key.Mode, key.EndpointIndex, endpoint, _state);
        return await _runner.RunAsync(step, key, input, ct).ConfigureAwait(false);
    }

    private async Task PersistAsync(IReadOnlyList<IEventData> events, CancellationToken ct)
    {
        if (events.Count == 0)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var envelopes = events.Select((e, i) =>
            EventTypeRegistry.Default.CreateUntyped(e, _origin, _state.LastSequence + 1 + i, now)).ToList();
        await _journal.AppendAsync(envelopes, ct).ConfigureAwait(false);
        for (var i = 0; i < events.Count; i++)
        {
            _state = TargetStateMachine.Evolve(_state, events[i], envelopes[i].Sequence);
        }
    }

    private static IEventData Payload(EventEnvelope e) =>
        EventTypeRegistry.Default.TryGet(e.Type, out _) ? EventTypeRegistry.Default.Deserialize(e) : new UnknownFact();

    private static Shared.Model.XmppEndpoint ToEndpoint(EndpointDiscovered e) =>
        new(e.Domain, e.Mode, e.Transport, e.Target, IPAddress.Parse(e.Address), e.Port, e.Priority, e.Weight, e.Source);

    /// <summary>An event this build cannot read: it still takes its sequence number.</summary>
    private sealed record UnknownFact : IEventData;
}
