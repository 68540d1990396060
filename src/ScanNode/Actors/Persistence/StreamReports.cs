using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.ScanNode.Actors.Persistence;

/// <summary>
/// The whole report of each <c>domain_scan_completed</c> a reader of a census's events meets. A target's event does not
/// repeat its endpoints (<see cref="DomainScanCompleted.EndpointsInStream"/>): they are projected from the same stream's
/// events before it, as the target actor's own recovery does (<see cref="TargetStateMachine.Evolve"/>). So each stream is
/// followed from its first event while the reader goes through the census in offset order, and dropped when the target
/// completes. A stream not followed from its start (the reader began at a snapshot's offset) or with a gap is read whole
/// from the journal when its report comes. Not thread-safe: one reader.
/// </summary>
public sealed class StreamReports(CensusEventLog events, Guid censusId)
{
    private readonly Dictionary<string, TargetState> _streams = new(StringComparer.Ordinal);

    /// <summary>Streams followed now (targets started and not completed in what was read).</summary>
    public int Following => _streams.Count;

    /// <summary>Takes the next entry of the census in offset order; returns the whole report when it is a
    /// <c>domain_scan_completed</c>, else null.</summary>
    public async ValueTask<DomainReport?> ApplyAsync(CensusLogEntry entry, CancellationToken ct = default)
    {
        var state = Follow(entry);
        if (entry.Event is not DomainScanCompleted completed)
        {
            return null;
        }

        if (!completed.EndpointsInStream)
        {
            return completed.Report;
        }

        state ??= await ReplayAsync(entry, ct).ConfigureAwait(false);
        return state.Mode(completed.Report.Mode).Report;
    }

    /// <summary>The stream's state after this entry, or null when the stream is not followed from its start.</summary>
    private TargetState? Follow(CensusLogEntry entry)
    {
        var known = _streams.TryGetValue(entry.PersistenceId, out var state);
        if (!known && entry.SequenceNr == 1)
        {
            state = TargetState.Empty;
        }
        else if (!known || state!.LastSequence != entry.SequenceNr - 1)
        {
            _streams.Remove(entry.PersistenceId);
            return null;
        }

        state = TargetStateMachine.Evolve(state!, entry.Event, entry.SequenceNr);
        if (state.Completed)
        {
            _streams.Remove(entry.PersistenceId);
        }
        else
        {
            _streams[entry.PersistenceId] = state;
        }

        return state;
    }

    /// <summary>The stream read from the journal up to this entry.</summary>
    private async Task<TargetState> ReplayAsync(CensusLogEntry entry, CancellationToken ct)
    {
        var stream = await events.ReadStreamAsync(censusId, TargetPersistenceIds.Parse(entry.PersistenceId).StreamId, ct)
            .ConfigureAwait(false);
        return TargetStateMachine.Replay(stream.Where(e => e.SequenceNr <= entry.SequenceNr).Select(e => (e.Event, e.SequenceNr)));
    }
}
