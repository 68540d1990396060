using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.ScanNode.Actors.Persistence;
using XmppScanCluster.Shared.Events;

namespace XmppScanCluster.Coordinator.Tests.Support;

/// <summary>
/// A store's census events (Akka.Persistence.Sql's journal, <see cref="ICensusStore.Events"/>) seen and written as
/// <see cref="EventEnvelope"/>s, the shape the tests' checks and fixtures speak: stream, sequence, node, region, time,
/// type and payload JSON.
/// </summary>
internal static class StoredEvents
{
    /// <summary>Writes a fixture's events as a node would (tagged, stamped with their time).</summary>
    public static Task AppendAsync(this ICensusStore store, IReadOnlyList<EventEnvelope> events) => store.Events.AppendAsync(events);

    /// <summary>One target stream in sequence order.</summary>
    public static async Task<IReadOnlyList<EventEnvelope>> ReadTargetAsync(this ICensusStore store, Guid censusId, Guid streamId) =>
        [.. (await store.Events.ReadStreamAsync(censusId, streamId)).Select(e => Envelope(censusId, e)).OfType<EventEnvelope>()];

    /// <summary>Every event of a census in journal order.</summary>
    public static async Task<List<EventEnvelope>> ReadAllAsync(this ICensusStore store, Guid censusId)
    {
        var all = new List<EventEnvelope>();
        for (long offset = 0; ;)
        {
            var page = await store.Events.ReadAsync(censusId, offset, 1000);
            if (page.Count == 0)
            {
                return all;
            }

            all.AddRange(page.Select(e => Envelope(censusId, e)).OfType<EventEnvelope>());
            offset = page[^1].Offset;
        }
    }

    private static EventEnvelope? Envelope(Guid censusId, CensusLogEntry e) =>
        e.Event is UnknownFact
            ? null
            : EventTypeRegistry.Default.CreateUntyped(e.Event,
                new EventOrigin(censusId, TargetPersistenceIds.Parse(e.PersistenceId).StreamId, e.NodeId, e.Region), e.SequenceNr,
                e.OccurredAt);
}
