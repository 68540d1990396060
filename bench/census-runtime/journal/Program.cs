using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using Npgsql;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.ScanNode.Actors.Persistence;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Model;

// Journal append and recovery of one target stream through Akka.Persistence.Sql (CensusPersistence, the census's
// journal since migration 0005), on SQLite and on the PostgreSQL of deploy/postgres/up.sh (fsync off: an upper bound
// there). The store's own journal table it replaced was measured beside it before it was deleted (README).
// Prints one markdown row per engine × runtime × operation. Usage: --engines sqlite,postgres --events N --batch B
var events = 2000;
var batch = 50;
string[] engines = ["sqlite", "postgres"];
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--events": events = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--batch": batch = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--engines": engines = args[i + 1].Split(','); break;
        default: throw new ArgumentException($"unknown option {args[i]}");
    }
}

Console.WriteLine($"| engine | runtime | operation | events | s | events/s |");
Console.WriteLine("|---|---|---|---:|---:|---:|");
foreach (var engine in engines)
{
    var (uri, cleanup) = engine == "postgres" ? await Locations.PostgresAsync() : Locations.Sqlite();
    try
    {
        await using (await StoreFactory.OpenAsync(uri))
        {
            // Migrations and the file or database exist before anything is timed.
        }

        var location = StoreFactory.Parse(uri);
        await AkkaBench.RunAsync(engine, location, events, batch);
    }
    finally
    {
        await cleanup();
    }
}

internal static class Row
{
    public static void Print(string engine, string runtime, string operation, int n, TimeSpan t) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {engine} | {runtime} | {operation} | {n} | {t.TotalSeconds:0.000} | {n / t.TotalSeconds:0} |"));

    public static int Checked(int got, int expected) =>
        got == expected ? got : throw new InvalidOperationException($"read {got} events, expected {expected}");

    public static IEventData Step(int i) => new ScanStepCompleted("session", XmppMode.C2S, 0, StepStatus.Completed, null, i);
}

/// <summary>Akka.Persistence.Sql through CensusPersistence: a persistent actor as a target actor persists.</summary>
internal static class AkkaBench
{
    private static readonly TimeSpan Answer = TimeSpan.FromMinutes(5);

    public static async Task RunAsync(string engine, StoreLocation location, int events, int batch)
    {
        const string runtime = "Akka.Persistence.Sql";
        var system = ActorSystem.Create("journal-bench", BootstrapSetup.Create()
            .WithConfig(CensusPersistence.For(location.Engine, location.Target).WithFallback(NodeActorConfig.Config))
            .And(CensusPersistence.Connections(location.Engine, location.Target))
            .And(new WriterSetup("bench", "default")));
        try
        {
            var census = Guid.NewGuid();
            var single = TargetPersistenceIds.For(census, Guid.NewGuid());
            var writer = system.ActorOf(Props.Create(() => new Writer(single, census)));
            await writer.Ask<long>(new Write(1), Answer); // plugin start-up and table creation, not timed
            var clock = Stopwatch.StartNew();
            for (var i = 2; i <= events + 1; i++)
            {
                await writer.Ask<long>(new Write(1), Answer);
            }

            Row.Print(engine, runtime, "append, 1 event per write", events, clock.Elapsed);

            var batched = system.ActorOf(Props.Create(() => new Writer(TargetPersistenceIds.For(census, Guid.NewGuid()), census)));
            clock.Restart();
            for (var i = 0; i < events; i += batch)
            {
                await batched.Ask<long>(new Write(Math.Min(batch, events - i)), Answer);
            }

            Row.Print(engine, runtime, $"append, {batch} events per write", events, clock.Elapsed);
            await writer.GracefulStop(Answer);

            clock.Restart();
            var recovered = await system.ActorOf(Props.Create(() => new Writer(single, census))).Ask<long>(new Count(), Answer);
            Row.Print(engine, runtime, "recover one stream", Row.Checked((int)recovered - 1, events), clock.Elapsed);

            clock.Restart();
            var read = PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(CensusPersistence.QueryPluginId);
            var count = await read.CurrentEventsByTag(CensusTags.Census(census), Offset.NoOffset())
                .RunWith(Sink.Aggregate<Akka.Persistence.Query.EventEnvelope, int>(0, (n, _) => n + 1), system.Materializer())
                .WaitAsync(Answer);
            Row.Print(engine, runtime, "read by census (tag)", Row.Checked(count - 1, 2 * events), clock.Elapsed);
        }
        finally
        {
            await system.Terminate();
        }
    }

    private sealed record Write(int Events);

    private sealed record Count;

    /// <summary>Persists a batch per command (one atomic write, as a target actor's step), answers its sequence number
    /// once stored; after recovery answers the number of events replayed.</summary>
    private sealed class Writer : ReceivePersistentActor
    {
        private long _replayed;

        public Writer(string pid, Guid census)
        {
            PersistenceId = pid;
            Recover<IEventData>(_ => _replayed++);
            Command<Write>(w =>
            {
                var start = (int)LastSequenceNr;
                PersistAll(Enumerable.Range(start + 1, w.Events).Select(i => new CensusEvent(census, Row.Step(i))), _ => { });
                DeferAsync(w, _ => Sender.Tell(LastSequenceNr));
            });
            Command<Count>(_ => Sender.Tell(_replayed));
        }

        public override string PersistenceId { get; }
    }
}

/// <summary>A throwaway SQLite file or PostgreSQL database per run.</summary>
internal static class Locations
{
    public static (string, Func<Task>) Sqlite()
    {
        var dir = Directory.CreateTempSubdirectory("xmppscan-journal-bench-").FullName;
        return ("sqlite:" + Path.Combine(dir, "census.db"), () =>
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
            return Task.CompletedTask;
        });
    }

    /// <summary>A database on the server run.sh started (deploy/postgres/up.sh with XMPPSCAN_PG_PORT).</summary>
    public static async Task<(string, Func<Task>)> PostgresAsync()
    {
        var port = Environment.GetEnvironmentVariable("XMPPSCAN_PG_PORT") ?? "55432";
        var admin = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false";
        var name = "journal_bench_" + Guid.NewGuid().ToString("N");
        await Exec(admin, $"CREATE DATABASE {name}");
        return ($"postgres://postgres@127.0.0.1:{port}/{name}", async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await Exec(admin, $"DROP DATABASE {name} WITH (FORCE)");
        });
    }

    private static async Task Exec(string connection, string sql)
    {
        await using var c = new NpgsqlConnection(connection);
        await c.OpenAsync();
        await using var command = new NpgsqlCommand(sql, c);
        await command.ExecuteNonQueryAsync();
    }
}
