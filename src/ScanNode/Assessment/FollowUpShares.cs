namespace XmppScanCluster.ScanNode.Assessment;

/// <summary>
/// The results of the phases after the assessment (vulnerability probes, client simulation) that the endpoints of one
/// verified TLS service share (issue 14), one slot per key (a probe and how far its result reaches, or the simulation
/// and its ALPN; <see cref="SharedFollowUps"/> makes the keys). The first endpoint to need a slot's result runs it
/// while the others wait for it; a result it publishes is reused, one it could not publish (failed, throttled,
/// cancelled) hands the turn to the next. Bounded: past <see cref="MaxSlots"/> keys nothing more is shared on the
/// service (every endpoint runs its own).
/// </summary>
internal sealed class FollowUpShares
{
    public const int MaxSlots = 256;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Slot> _slots = new(StringComparer.Ordinal);

    private sealed class Slot
    {
        public object? Value { get; set; }

        public TaskCompletionSource? Running { get; set; }
    }

    /// <summary>The published result of <paramref name="key"/>, or the turn to run it (<see cref="FollowUpTurn{T}.Running"/>:
    /// the caller must <see cref="End"/> it), or neither (no room: run it without publishing).</summary>
    /// <exception cref="OperationCanceledException">Only when <paramref name="cancellationToken"/> is cancelled.</exception>
    public async Task<FollowUpTurn<T>> TakeAsync<T>(string key, CancellationToken cancellationToken)
        where T : class
    {
        while (true)
        {
            Task running;
            lock (_lock)
            {
                if (!_slots.TryGetValue(key, out var slot))
                {
                    if (_slots.Count >= MaxSlots)
                    {
                        return new FollowUpTurn<T>(null, false);
                    }

                    slot = _slots[key] = new Slot();
                }

                if (slot.Value is T value)
                {
                    return new FollowUpTurn<T>(value, false);
                }

                if (slot.Running is null)
                {
                    slot.Running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    return new FollowUpTurn<T>(null, true);
                }

                running = slot.Running.Task;
            }

            await running.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Ends the turn <see cref="TakeAsync{T}"/> gave, publishing <paramref name="result"/> unless null.</summary>
    public void End(string key, object? result)
    {
        TaskCompletionSource? running;
        lock (_lock)
        {
            var slot = _slots[key];
            slot.Value ??= result;
            running = slot.Running;
            slot.Running = null;
        }

        running?.TrySetResult();
    }
}

/// <summary>What <see cref="FollowUpShares.TakeAsync{T}"/> gave: a result to reuse, or the turn to run it.</summary>
internal readonly record struct FollowUpTurn<T>(T? Shared, bool Running)
    where T : class;
