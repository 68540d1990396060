using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.ScanNode.Actors.Persistence;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.Coordinator.Tests.Support;

/// <summary>
/// A store's census events (Akka.Persistence.Sql's journal, <see cref="ICensusStore.Events"/>) seen and written as
/// <see cref="EventEnvelope"/>s, the shape the tests' checks and fixtures speak: stream, sequence, node, region, time,
/// type and payload JSON.
/// </summary>
internal static class StoredEvents
{
    /// <summary>Writes a fixture's events as a node would (tagged). The journal stamps a write with its own clock; on
    /// SQLite the rows are then re-stamped with the envelopes' time, so a fixture on a fake clock can say "written 30 s
    /// ago" (the dashboard's throughput and latest results read that time).</summary>
    public static async Task AppendAsync(this ICensusStore store, IReadOnlyList<EventEnvelope> events)
    {
        await store.Events.AppendAsync(events);
        if (store.Location.Engine == "sqlite")
        {
            await RestampAsync(store, events);
        }

        await WaitVisibleAsync(store, events);
    }

    /// <summary>Waits until the census's tag query returns the last of <paramref name="events"/>. A write is committed
    /// before the read journal shows it: Akka.Persistence.Sql bounds tag queries by the highest gap-free ordering its
    /// journal-sequence actor has seen, refreshed every 100 ms (CensusPersistence) — seconds at load 60, where a test that
    /// appended and read at once saw the old count (DashboardHttpTests in a stress run). A reader waits like a live page.</summary>
    private static async Task WaitVisibleAsync(ICensusStore store, IReadOnlyList<EventEnvelope> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        var last = events[^1];
        for (var attempt = 0; ; attempt++)
        {
            if ((await store.ReadAllAsync(last.CensusId)).Any(e => e.TargetId == last.TargetId && e.Sequence == last.Sequence))
            {
                return;
            }

            // A liveness bound, not a timing decision: the write is committed and only its visibility is awaited.
            Assert.True(attempt < 600, $"event {last.Type} #{last.Sequence} written but not returned by the census's tag query after 60 s");
            await Task.Delay(100);
        }
    }

    private static async Task RestampAsync(ICensusStore store, IReadOnlyList<EventEnvelope> events)
    {
        await using var connection = new SqliteConnection($"Data Source={CensusPersistence.SqliteEventsPath(store.Location.Target)}");
        await connection.OpenAsync();
        foreach (var e in events)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE event_journal SET timestamp = $t WHERE persistence_id = $p AND sequence_nr = $s";
            command.Parameters.AddWithValue("$t", e.OccurredAt.UtcTicks);
            command.Parameters.AddWithValue("$p", TargetPersistenceIds.For(e.CensusId, e.TargetId));
            command.Parameters.AddWithValue("$s", e.Sequence);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }
    }

    /// <summary>One target stream in sequence order.</summary>
    public static async Task<IReadOnlyList<EventEnvelope>> ReadTargetAsync(this ICensusStore store, Guid censusId, Guid streamId) =>
        [.. (await store.Events.ReadStreamAsync(censusId, streamId)).Select(e => Envelope(censusId, e)).OfType<EventEnvelope>()];

    /// <summary>The results of one target stream in order, whole: each <c>domain_scan_completed</c> with the endpoints
    /// its stream's events project, read as the aggregator reads them (<see cref="StreamReports"/>).</summary>
    public static async Task<IReadOnlyList<DomainReport>> ReadReportsAsync(this ICensusStore store, Guid censusId, Guid streamId)
    {
        var reader = new StreamReports(store.Events, censusId);
        var reports = new List<DomainReport>();
        foreach (var e in await store.Events.ReadStreamAsync(censusId, streamId))
        {
            if (await reader.ApplyAsync(e) is { } report)
            {
                reports.Add(report);
            }
        }

        return reports;
    }

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

    /// <summary>The event as an envelope; its id is derived from stream and sequence, so reading twice gives the same.</summary>
    private static EventEnvelope? Envelope(Guid censusId, CensusLogEntry e) =>
        e.Event is UnknownFact
            ? null
            : EventTypeRegistry.Default.CreateUntyped(e.Event,
                new EventOrigin(censusId, TargetPersistenceIds.Parse(e.PersistenceId).StreamId, e.NodeId, e.Region), e.SequenceNr,
                e.OccurredAt, new Guid(SHA256.HashData(Encoding.UTF8.GetBytes($"{e.PersistenceId}/{e.SequenceNr}")).AsSpan(0, 16)));
}
