using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Coordinator.Tests.Store.Support;
using XmppScanCluster.ScanNode.Actors.Persistence;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Model;
using QueryEnvelope = Akka.Persistence.Query.EventEnvelope;

namespace XmppScanCluster.Coordinator.Tests.Store;

/// <summary>
/// Akka.Persistence.Sql as the census's journal and snapshot store (<see cref="CensusPersistence"/>) on a real SQLite
/// file and a real PostgreSQL database: target events persist tagged (census, region, node), a new actor recovers
/// them through <see cref="EventSerializer"/>, a snapshot is saved and offered back, and Persistence.Query returns one
/// census's events by tag in order with their region and node. Nothing is timed; each step waits for its answer.
/// </summary>
public abstract class CensusPersistenceContract : IAsyncLifetime
{
    private static readonly TimeSpan Answer = TimeSpan.FromSeconds(60);

    protected abstract Task<StoreLocation> CreateStoreAsync();

    protected abstract Task DropStoreAsync();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await DropStoreAsync();

    [Fact]
    public async Task TargetEvents_persistTagged_recover_andReadByCensusTag_withRegionAndNode() =>
        await WriteRecoverAndReadAsync(await CreateStoreAsync(), Config.Empty);

    /// <summary>Writes a census's events (and another census's) with a system configured by <paramref name="writer"/>
    /// over the store's own configuration, then recovers and reads them by tag with a new system on the store's own
    /// configuration. Returns the census.</summary>
    protected static async Task<Guid> WriteRecoverAndReadAsync(StoreLocation location, Config writer)
    {
        var census = Guid.NewGuid();
        var other = Guid.NewGuid();
        var pid = TargetPersistenceIds.For(census, Guid.NewGuid());
        var otherPid = TargetPersistenceIds.For(other, Guid.NewGuid());
        IEventData[] events =
        [
            new TargetScanStarted(Guid.NewGuid(), "example.org", [XmppMode.C2S], ["session"]),
            new ScanStepCompleted("discover", XmppMode.C2S, null, StepStatus.Completed, null, 1),
            new ScanStepCompleted("session", XmppMode.C2S, 0, StepStatus.Completed, null, 2),
        ];

        var system = Start(location, "node-a", "eu", writer);
        try
        {
            Assert.Equal(2, await Ask<long>(system, pid, new Persist(census, events[..2])));
            Assert.Equal(1, await Ask<long>(system, otherPid, new Persist(other, events[..1])));
            Assert.Equal(2, await Ask<long>(system, pid, new SaveSnapshotNow()));
            Assert.Equal(3, await Ask<long>(system, pid, new Persist(census, events[2..])));
        }
        finally
        {
            await system.Terminate();
        }

        // A new actor system (a restarted node in another region's name): the snapshot plus the event after it, and
        // the whole stream by tag.
        system = Start(location, "node-b", "us", Config.Empty);
        try
        {
            var recovered = await Ask<Recovered>(system, pid, new Report());
            Assert.Equal(2, recovered.SnapshotSequenceNr);
            Assert.Equal(events[2..].Select(Json), recovered.Events.Select(Json));

            var read = PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(CensusPersistence.QueryPluginId);
            var envelopes = await read.CurrentEventsByTag(CensusTags.Census(census), Offset.NoOffset())
                .RunWith(Sink.Seq<QueryEnvelope>(), system.Materializer()).WaitAsync(Answer);
            Assert.Equal(events.Select(Json), envelopes.Select(e => Json(e.Event)));
            Assert.All(envelopes, e => Assert.Equal(("eu", "node-a"), CensusTags.Origin(e.Tags)));
            Assert.All(envelopes, e => Assert.Equal(pid, e.PersistenceId));
            Assert.Equal([1L, 2L, 3L], envelopes.Select(e => e.SequenceNr));
            Assert.True(envelopes.Select(e => ((Sequence)e.Offset).Value).SequenceEqual(
                envelopes.Select(e => ((Sequence)e.Offset).Value).Order()));

            // From an offset: only what came after it.
            var after = await read.CurrentEventsByTag(CensusTags.Census(census), envelopes[1].Offset)
                .RunWith(Sink.Seq<QueryEnvelope>(), system.Materializer()).WaitAsync(Answer);
            Assert.Equal(events[2..].Select(Json), after.Select(e => Json(e.Event)));
        }
        finally
        {
            await system.Terminate();
        }

        return census;
    }

    /// <summary>An event as its stored JSON with its type (records holding lists compare by reference).</summary>
    private static string Json(object e) =>
        e.GetType().Name + System.Text.Json.JsonSerializer.Serialize(e, e.GetType(), EventJson.Options);

    protected static ActorSystem Start(StoreLocation location, string node, string region, Config over)
    {
        return ActorSystem.Create("persistence-test", BootstrapSetup.Create()
            .WithConfig(over.WithFallback(CensusPersistence.For(location.Engine, location.Target)).WithFallback(NodeActorConfig.Config))
            .And(CensusPersistence.Connections(location.Engine, location.Target))
            .And(new WriterSetup(node, region)));
    }

    protected static async Task<T> Ask<T>(ActorSystem system, string pid, object message)
    {
        var actor = system.ActorOf(Props.Create(() => new Recorder(pid)));
        try
        {
            return await actor.Ask<T>(message, Answer);
        }
        finally
        {
            system.Stop(actor);
        }
    }

    protected sealed record Persist(Guid Census, IEventData[] Events);

    private sealed record SaveSnapshotNow;

    private sealed record Report;

    private sealed record Recovered(IReadOnlyList<IEventData> Events, long SnapshotSequenceNr);

    /// <summary>Persists what it is told, as a target actor does (wrapped with the census); snapshots its sequence number.</summary>
    protected sealed class Recorder : ReceivePersistentActor
    {
        private readonly List<IEventData> _events = [];
        private long _snapshot;

        public Recorder(string pid)
        {
            PersistenceId = pid;
            Recover<SnapshotOffer>(o => _snapshot = o.Metadata.SequenceNr);
            Recover<IEventData>(_events.Add);
            Command<Persist>(p =>
            {
                PersistAll(p.Events.Select(e => new CensusEvent(p.Census, e)), e => _events.Add(e.Event));
                DeferAsync(p, _ => Sender.Tell(LastSequenceNr));
            });
            Command<SaveSnapshotNow>(_ =>
            {
                var replyTo = Sender;
                SaveSnapshot(LastSequenceNr);
                Become(() =>
                {
                    Command<SaveSnapshotSuccess>(s => replyTo.Tell(s.Metadata.SequenceNr));
                    Command<SaveSnapshotFailure>(f => replyTo.Tell(new Status.Failure(f.Cause)));
                });
            });
            Command<Report>(_ => Sender.Tell(new Recovered([.. _events], _snapshot)));
        }

        public override string PersistenceId { get; }
    }
}

/// <summary>On a SQLite census file: the events live in the sibling <c>.events.db</c>.</summary>
public sealed class SqliteCensusPersistenceTests : CensusPersistenceContract
{
    private readonly string _dir = Directory.CreateTempSubdirectory("xmppscan-persistence-").FullName;

    protected override async Task<StoreLocation> CreateStoreAsync()
    {
        var path = Path.Combine(_dir, "census.db");
        await using (await StoreFactory.OpenAsync("sqlite:" + path))
        {
        }

        return StoreFactory.Parse("sqlite:" + path);
    }

    protected override Task DropStoreAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task NewEventsFile_keepsTheTagsInTheJournalRow_withoutATagTable()
    {
        var location = await CreateStoreAsync();
        var census = await WriteRecoverAndReadAsync(location, Config.Empty);

        // One insert per batch instead of a row-by-row insert plus tag rows (issue 14): the census's three events carry
        // their tags in the row, and there is no tag table to write.
        Assert.Equal(3, Scalar(location, $"SELECT COUNT(*) FROM event_journal WHERE tags LIKE '%;{CensusTags.Census(census)};%'"));
        Assert.Equal(0, Scalar(location, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'event_tag'"));
    }

    [Fact]
    public async Task NewEventsFile_indexesTheJournalOnlyByStreamAndSequence()
    {
        var location = await CreateStoreAsync();
        await WriteRecoverAndReadAsync(location, Config.Empty);

        // The plugin's indexes on timestamp and on sequence_nr alone are read by no census query and cost a page per
        // commit each (issue 14): only the unique (persistence_id, sequence_nr) index is made.
        Assert.Equal(1, Scalar(location, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'event_journal'"));
        Assert.Equal(2, Scalar(location, "SELECT COUNT(*) FROM pragma_index_info('event_journal_uq')"));
        Assert.Equal(1, Scalar(location, "SELECT \"unique\" FROM pragma_index_list('event_journal') WHERE name = 'event_journal_uq'"));
    }

    /// <summary>An events file as builds before the tags moved into the journal row made it (Akka.Persistence.Sql's
    /// auto-initialize in TagTable mode; the schema as such a file holds it).</summary>
    private static void CreateOlderEventsFile(StoreLocation location)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + CensusPersistence.SqliteEventsPath(location.Target));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE TABLE [event_journal]
            (
              [ordering]       INTEGER        NOT NULL PRIMARY KEY AUTOINCREMENT,
              [timestamp]      INTEGER        NOT NULL,
              [is_deleted]     Bit            NOT NULL,
              [persistence_id] NVarChar(255)  NOT NULL,
              [sequence_nr]    INTEGER        NOT NULL,
              [payload]        VarBinary      NOT NULL,
              [manifest]       NVarChar(500)      NULL,
              [serializer_id]  INTEGER            NULL
            );
            CREATE UNIQUE INDEX event_journal_uq ON event_journal (persistence_id, sequence_nr);
            CREATE INDEX event_journal_timestamp_idx ON event_journal (timestamp);
            CREATE INDEX event_journal_sequence_nr_idx ON event_journal (sequence_nr);
            CREATE TABLE [event_tag]
            (
              [ordering_id]    INTEGER       NOT NULL,
              [tag]            NVarChar(64)  NOT NULL,
              [sequence_nr]    INTEGER       NOT NULL,
              [persistence_id] NVarChar(255) NOT NULL,
              CONSTRAINT [PK_event_tag] PRIMARY KEY ([ordering_id], [tag])
            );
            CREATE INDEX event_tag_persistence_id_sequence_nr_idx ON event_tag (persistence_id, sequence_nr);
            CREATE INDEX event_tag_tag_idx ON event_tag (tag);
            """;
        command.ExecuteNonQuery();
    }

    [Fact]
    public async Task EventsFile_ofAnOlderBuild_keepsItsTagTable_andIsReadAndWritten()
    {
        var location = await CreateStoreAsync();
        CreateOlderEventsFile(location);
        var older = ConfigurationFactory.ParseString("""
            akka.persistence.journal.sql.tag-write-mode = TagTable
            akka.persistence.query.journal.sql.tag-read-mode = TagTable
            """);
        var census = await WriteRecoverAndReadAsync(location, older);
        Assert.Equal(0, Scalar(location, "SELECT COUNT(*) FROM pragma_table_info('event_journal') WHERE name = 'tags'"));

        // This build on that file: its writes go to the tag table too, and a read by tag returns old and new events.
        var system = Start(location, "node-c", "ap", Config.Empty);
        try
        {
            var pid = TargetPersistenceIds.For(census, Guid.NewGuid());
            Assert.Equal(1, await Ask<long>(system, pid, new Persist(census,
                [new TargetScanStarted(Guid.NewGuid(), "example.net", [XmppMode.S2S], ["session"])])));
        }
        finally
        {
            await system.Terminate();
        }

        Assert.Equal(4, Scalar(location, $"SELECT COUNT(*) FROM event_tag WHERE tag = '{CensusTags.Census(census)}'"));
        Assert.Equal(1, Scalar(location, "SELECT COUNT(*) FROM event_tag WHERE tag = 'node:node-c'"));
    }

    private static long Scalar(StoreLocation location, string sql)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + CensusPersistence.SqliteEventsPath(location.Target));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    [Fact]
    public void EventsFile_isTheCensusFilesSibling() =>
        Assert.Equal(("/data/census.events.db", "/data/census.events.db"),
            (CensusPersistence.SqliteEventsPath("/data/census.db"), CensusPersistence.SqliteEventsPath("/data/census")));
}

/// <summary>On PostgreSQL: the census database itself, a new one per test.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresCensusPersistenceTests(PostgresServer server) : CensusPersistenceContract
{
    private string _database = "";

    protected override async Task<StoreLocation> CreateStoreAsync()
    {
        (_database, var connectionString) = await server.CreateDatabaseAsync();
        await using (await StoreFactory.OpenAsync(connectionString))
        {
        }

        return StoreFactory.Parse(connectionString);
    }

    protected override async Task DropStoreAsync()
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        if (_database.Length > 0)
        {
            await server.DropDatabaseAsync(_database);
        }
    }
}
