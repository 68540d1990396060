using System.Diagnostics;
using System.Globalization;
using System.Net;
using Npgsql;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Model;

// Measures append throughput (events/s) and completion throughput (targets recorded per second, as shard entities do) of
// both store engines. PostgreSQL is the throwaway server of deploy/postgres/up.sh (fsync off: an upper bound).
var options = Options.Parse(args);
var rows = new List<string[]>();
foreach (var engine in options.Engines)
{
    var (uri, cleanup) = engine switch
    {
        "sqlite" => SqliteLocation(),
        "postgres" => await PostgresLocationAsync(),
        _ => throw new ArgumentException($"unknown engine {engine}"),
    };
    try
    {
        var append = await AppendAsync(uri, options);
        rows.Add([engine, "append", $"{options.Writers} writers × batch {options.Batch}", Count(options.Events), Rate(options.Events, append)]);
        var complete = await CompleteAsync(uri, options);
        rows.Add([engine, "complete target", $"{options.Nodes} nodes", Count(options.Shards), Rate(options.Shards, complete)]);
    }
    finally
    {
        await cleanup();
    }
}

string[] header = ["engine", "operation", "shape", "items", "items/s"];
var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
Console.WriteLine(string.Join("  ", header.Select((h, i) => h.PadRight(widths[i]))));
Console.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
foreach (var row in rows)
{
    Console.WriteLine(string.Join("  ", row.Select((c, i) => i >= 3 ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))));
}

static string Count(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

static string Rate(int n, TimeSpan t) => (n / t.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture);

static async Task<TimeSpan> AppendAsync(string uri, Options o)
{
    var census = Guid.NewGuid();
    var stores = await OpenStoresAsync(uri, o.Writers);
    var perWriter = o.Events / o.Writers;
    var endpoint = new EndpointRef("192.0.2.1", 5222, XmppMode.C2S, TlsTransport.StartTls);
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(stores.Select((store, w) => Task.Run(async () =>
    {
        // Each writer plays a node scanning targets one after another: 10 events per target.
        var target = Guid.NewGuid();
        var batch = new List<EventEnvelope>(o.Batch);
        for (var i = 0; i < perWriter; i++)
        {
            if (i % 10 == 0)
            {
                target = Guid.NewGuid();
            }

            batch.Add(EventTypeRegistry.Default.Create(
                new StartTlsRequired(endpoint),
                new EventOrigin(census, target, $"node-{w}", "eu"), i % 10 + 1, DateTimeOffset.UtcNow));
            if (batch.Count == o.Batch)
            {
                await store.Events.AppendAsync(batch);
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            await store.Events.AppendAsync(batch);
        }
    })));
    var elapsed = clock.Elapsed;
    foreach (var store in stores.Distinct())
    {
        await store.DisposeAsync();
    }

    return elapsed;
}

static async Task<TimeSpan> CompleteAsync(string uri, Options o)
{
    await using var planner = await StoreFactory.OpenAsync(uri);
    var census = await planner.CreateCensusAsync(new CensusDefinition("bench-" + Guid.NewGuid().ToString("N"), "{}", "bench", ["eu"]));
    var targets = await planner.AddTargetsAsync(census.CensusId, Enumerable.Range(0, o.Shards).Select(i => $"t{i}.example"));
    await planner.PlanShardsAsync(census.CensusId,
        targets.Added.Select((t, i) => new TargetEndpoints(t.TargetId, [IPAddress.Parse($"2001:db8::{i + 1:x}")])).ToList(),
        ShardKeyPolicy.PerAddress);

    var stores = await OpenStoresAsync(uri, o.Nodes);
    var shards = await planner.ListOpenShardsAsync("eu");
    var work = new List<(long Shard, Guid Target)>();
    foreach (var shard in shards)
    {
        work.AddRange((await planner.GetShardTargetsAsync(shard.ShardId)).Select(t => (shard.ShardId, t.TargetId)));
    }

    var completed = 0;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(stores.Select((store, n) => Task.Run(async () =>
    {
        for (var i = n; i < work.Count; i += stores.Count())
        {
            if (await store.CompleteTargetAsync(work[i].Shard, work[i].Target, 0, TargetOutcome.Done))
            {
                Interlocked.Increment(ref completed);
            }
        }
    })));
    var elapsed = clock.Elapsed;
    foreach (var store in stores.Distinct())
    {
        await store.DisposeAsync();
    }

    return completed == o.Shards ? elapsed : throw new InvalidOperationException($"completed {completed} of {o.Shards}");
}

// PostgreSQL: one store (connection pool) per node, as in a cluster. SQLite: one process shares one store,
// as the embedded engine is used; its writes are serialised in-process.
static async Task<ICensusStore[]> OpenStoresAsync(string uri, int count)
{
    if (uri.StartsWith("sqlite:", StringComparison.Ordinal))
    {
        var shared = await StoreFactory.OpenAsync(uri);
        return Enumerable.Repeat(shared, count).ToArray();
    }

    return await Task.WhenAll(Enumerable.Range(0, count).Select(_ => StoreFactory.OpenAsync(uri)));
}

static (string, Func<Task>) SqliteLocation()
{
    var dir = Path.Combine(Path.GetTempPath(), "xmppscan-bench-" + Guid.NewGuid().ToString("N"));
    return ("sqlite:" + Path.Combine(dir, "bench.db"), () =>
    {
        Directory.Delete(dir, recursive: true);
        return Task.CompletedTask;
    });
}

static async Task<(string, Func<Task>)> PostgresLocationAsync()
{
    var script = Path.Combine(FindRoot(), "deploy", "postgres", "up.sh");
    using (var up = Process.Start("bash", [script]))
    {
        await up.WaitForExitAsync();
        if (up.ExitCode != 0)
        {
            throw new InvalidOperationException("deploy/postgres/up.sh failed");
        }
    }

    var port = Environment.GetEnvironmentVariable("XMPPSCAN_PG_PORT") ?? "55432";
    var admin = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false";
    var name = "bench_" + Guid.NewGuid().ToString("N");
    await Exec(admin, $"CREATE DATABASE {name}");
    return ($"postgres://postgres@127.0.0.1:{port}/{name}", () => Exec(admin, $"DROP DATABASE {name} WITH (FORCE)"));

    static async Task Exec(string cs, string sql)
    {
        await using var c = new NpgsqlConnection(cs);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, c);
        await cmd.ExecuteNonQueryAsync();
    }
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "XmppScanCluster.sln")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException("XmppScanCluster.sln not found");
}

/// <summary>Benchmark shape from the command line.</summary>
internal sealed record Options(string[] Engines, int Events, int Batch, int Writers, int Shards, int Nodes)
{
    public static Options Parse(string[] args)
    {
        var o = new Options(["sqlite", "postgres"], 20_000, 50, 4, 2_000, 4);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var v = args[i + 1];
            o = args[i] switch
            {
                "--engines" => o with { Engines = v.Split(',') },
                "--events" => o with { Events = int.Parse(v, CultureInfo.InvariantCulture) },
                "--batch" => o with { Batch = int.Parse(v, CultureInfo.InvariantCulture) },
                "--writers" => o with { Writers = int.Parse(v, CultureInfo.InvariantCulture) },
                "--shards" => o with { Shards = int.Parse(v, CultureInfo.InvariantCulture) },
                "--nodes" => o with { Nodes = int.Parse(v, CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }

        return o;
    }
}
