using System.Collections.Immutable;
using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using XmppScanCluster.Shared.Events;

namespace XmppScanCluster.ScanNode.Actors.Persistence;

/// <summary>One census event as a reader sees it: its journal offset (the global ordering, growing in commit order
/// per database), its stream, when the writer's journal stored it, the region and node of its tags.</summary>
public sealed record CensusLogEntry(long Offset, string PersistenceId, long SequenceNr, DateTimeOffset OccurredAt,
    string Region, string NodeId, IEventData Event)
{
    /// <summary>The event's stable type name (<c>domain_scan_completed</c>), "" for an event this build cannot read.</summary>
    public string Type => EventTypeRegistry.Default.TryGet(Event.GetType(), out var entry) ? entry.TypeName : "";
}

/// <summary>
/// The census events of one store through Akka.Persistence.Sql (<see cref="CensusPersistence"/>): Persistence.Query by
/// census tag from an offset for the readers (the aggregator's projection), and a direct journal write for tools that
/// record a census without scanning (test fixtures, benchmarks, generated report sites). Owns a small actor system.
/// </summary>
public sealed class CensusEventLog : IAsyncDisposable
{
    private static readonly TimeSpan Answer = TimeSpan.FromMinutes(2);
    private readonly ActorSystem _system;
    private SqlReadJournal? _read;
    private readonly IMaterializer _materializer;
    private readonly IActorRef _journal;
    private readonly IActorRef _snapshots;
    private Task? _ready;

    private CensusEventLog(ActorSystem system)
    {
        _system = system;
        _materializer = system.Materializer();
        var persistence = Akka.Persistence.Persistence.Instance.Apply(system);
        _journal = persistence.JournalFor(CensusPersistence.JournalPluginId);
        _snapshots = persistence.SnapshotStoreFor(CensusPersistence.SnapshotPluginId);
    }

    /// <summary>Opens the log of a store (<paramref name="engine"/> "sqlite" with the census file, or "postgres" with a
    /// connection string).</summary>
    public static CensusEventLog Open(string engine, string target)
    {
        return new CensusEventLog(ActorSystem.Create("xmppscan-events", BootstrapSetup.Create()
            .WithConfig(CensusPersistence.For(engine, target).WithFallback(NodeActorConfig.Config))
            .And(CensusPersistence.Connections(engine, target))));
    }

    /// <summary>Up to <paramref name="max"/> events of a census after <paramref name="afterOffset"/> (0: from the
    /// start), in offset order. Reading again from the last offset returns only what was stored since.</summary>
    public async Task<IReadOnlyList<CensusLogEntry>> ReadAsync(Guid censusId, long afterOffset, int max,
        CancellationToken ct = default)
    {
        var read = await ReadJournalAsync(ct).ConfigureAwait(false);
        var envelopes = await read.CurrentEventsByTag(CensusTags.Census(censusId), Offset.Sequence(afterOffset))
            .Take(max)
            .RunWith(Sink.Seq<Akka.Persistence.Query.EventEnvelope>(), _materializer)
            .WaitAsync(ct).ConfigureAwait(false);
        return [.. envelopes.Select(Entry)];
    }

    /// <summary>One target stream (census and stream id, <see cref="TargetPersistenceIds"/>) in sequence order: what a
    /// target actor recovers.</summary>
    public async Task<IReadOnlyList<CensusLogEntry>> ReadStreamAsync(Guid censusId, Guid streamId, CancellationToken ct = default)
    {
        var read = await ReadJournalAsync(ct).ConfigureAwait(false);
        var envelopes = await read.CurrentEventsByPersistenceId(TargetPersistenceIds.For(censusId, streamId), 0, long.MaxValue)
            .RunWith(Sink.Seq<Akka.Persistence.Query.EventEnvelope>(), _materializer)
            .WaitAsync(ct).ConfigureAwait(false);
        return [.. envelopes.Select(Entry)];
    }

    /// <summary>The read journal does not create tables, the write journal does (auto-initialize; on SQLite
    /// <see cref="CensusPersistence.Connections"/> made them already) before it answers anything: one replay of a stream
    /// that does not exist, so a census nothing was written for yet reads as empty.
    /// The read journal is made only then: its constructor blocks on asking the write journal whether it is initialized,
    /// with a fixed 5 s timeout that table creation on a loaded machine exceeded.</summary>
    private async Task<SqlReadJournal> ReadJournalAsync(CancellationToken ct)
    {
        await (_ready ??= _journal.Ask<object>(replyTo => new ReplayMessages(0, 0, 0, "xmppscan-ready", replyTo), Answer,
            CancellationToken.None)).WaitAsync(ct).ConfigureAwait(false);
        return _read ??= PersistenceQuery.Get(_system).ReadJournalFor<SqlReadJournal>(CensusPersistence.QueryPluginId);
    }

    private static CensusLogEntry Entry(Akka.Persistence.Query.EventEnvelope e)
    {
        var (region, node) = CensusTags.Origin(e.Tags);
        return new CensusLogEntry(((Sequence)e.Offset).Value, e.PersistenceId, e.SequenceNr,
            new DateTimeOffset(e.Timestamp, TimeSpan.Zero), region, node, (IEventData)e.Event);
    }

    /// <summary>
    /// Writes events to a stream as a target actor would (tagged with the census, region and node; sequence numbers
    /// after <paramref name="afterSequence"/>), stamped <paramref name="at"/>: one atomic write. For tools that record
    /// a census without scanning; the census itself is written by target actors.
    /// </summary>
    public async Task AppendAsync(Guid censusId, Guid streamId, long afterSequence, IReadOnlyList<IEventData> events,
        string region, string nodeId, DateTimeOffset at, CancellationToken ct = default)
    {
        var pid = TargetPersistenceIds.For(censusId, streamId);
        var tags = CensusTags.For(censusId, region, nodeId);
        var batch = events.Select((e, i) => (IPersistentRepresentation)new Persistent(new Tagged(e, tags),
            afterSequence + i + 1, pid, string.Empty, false, ActorRefs.NoSender, "census-event-log", at.UtcTicks)).ToImmutableList();
        var answer = await _journal.Ask<object>(replyTo => new WriteMessages([new AtomicWrite(batch)], replyTo, 1), Answer, ct)
            .ConfigureAwait(false);
        if (answer is WriteMessagesFailed failed)
        {
            throw new IOException("the census journal refused the write", failed.Cause);
        }
    }

    /// <summary>As <see cref="AppendAsync(Guid, Guid, long, IReadOnlyList{IEventData}, string, string, DateTimeOffset, CancellationToken)"/>
    /// for events described as envelopes (one stream, consecutive sequences; their payload read through the registry).</summary>
    public async Task AppendAsync(IReadOnlyList<Shared.Events.EventEnvelope> envelopes, CancellationToken ct = default)
    {
        foreach (var stream in envelopes.GroupBy(e => (e.CensusId, e.TargetId, e.Region, e.NodeId)))
        {
            var list = stream.OrderBy(e => e.Sequence).ToList();
            await AppendAsync(stream.Key.CensusId, stream.Key.TargetId, list[0].Sequence - 1,
                [.. list.Select(e => (IEventData)EventTypeRegistry.Default.Deserialize(e))], stream.Key.Region,
                stream.Key.NodeId, list[0].OccurredAt, ct).ConfigureAwait(false);
        }
    }

    /// <summary>The latest snapshot of <paramref name="persistenceId"/> (a projection's own state), or null.</summary>
    public async Task<(long SequenceNr, byte[] Data)?> LoadSnapshotAsync(string persistenceId, CancellationToken ct = default)
    {
        var answer = await _snapshots.Ask<object>(
            replyTo => new LoadSnapshot(persistenceId, SnapshotSelectionCriteria.Latest, long.MaxValue), Answer, ct).ConfigureAwait(false);
        return answer switch
        {
            LoadSnapshotResult { Snapshot: { Snapshot: byte[] data } selected } => (selected.Metadata.SequenceNr, data),
            LoadSnapshotResult => null,
            LoadSnapshotFailed failed => throw new IOException("the snapshot store failed", failed.Cause),
            _ => throw new InvalidOperationException($"unexpected answer {answer.GetType().Name}"),
        };
    }

    /// <summary>Saves a snapshot at <paramref name="sequenceNr"/> and drops the older ones of that id.</summary>
    public async Task SaveSnapshotAsync(string persistenceId, long sequenceNr, byte[] data, CancellationToken ct = default)
    {
        var metadata = new SnapshotMetadata(persistenceId, sequenceNr, DateTime.UtcNow);
        var answer = await _snapshots.Ask<object>(replyTo => new SaveSnapshot(metadata, data), Answer, ct).ConfigureAwait(false);
        if (answer is SaveSnapshotFailure failure)
        {
            throw new IOException("the snapshot store failed", failure.Cause);
        }

        _snapshots.Tell(new DeleteSnapshots(persistenceId, new SnapshotSelectionCriteria(sequenceNr - 1)), ActorRefs.NoSender);
    }

    public async ValueTask DisposeAsync() => await _system.Terminate().ConfigureAwait(false);
}
