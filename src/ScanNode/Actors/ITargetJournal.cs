using XmppScanCluster.Shared.Events;

namespace XmppScanCluster.ScanNode.Actors;

/// <summary>Where a target actor reads and persists its events (the census store's journal).</summary>
public interface ITargetJournal
{
    /// <summary>The stream's events in sequence order.</summary>
    Task<IReadOnlyList<EventEnvelope>> ReadAsync(Guid censusId, Guid streamId, CancellationToken ct);

    /// <summary>Appends atomically; redelivery of the same events is a no-op. Another writer's events at these
    /// sequences throw <see cref="JournalConflictException"/>.</summary>
    Task AppendAsync(IReadOnlyList<EventEnvelope> events, CancellationToken ct);
}

/// <summary>Another writer holds the stream (a node whose lease was taken over): this actor must stop.</summary>
public sealed class JournalConflictException(string message, Exception? inner = null) : Exception(message, inner);
