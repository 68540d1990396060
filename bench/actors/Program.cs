using System.Diagnostics;
using System.Globalization;
using System.Net;
using XmppScanCluster.Coordinator.Cluster;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.ScanNode.Actors;
using XmppScanCluster.ScanNode.Actors.Steps;
using XmppScanCluster.ScanNode.Node;
using XmppScanCluster.Shared.Dns;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Messages;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

// The census's actor runtime (the embedded one-node cluster: address-shard entities, target actors, the SQLite store)
// with steps that do no I/O: what it costs beyond the scanning. Usage: dotnet run -c Release [-- TARGETS ENDPOINTS]
var targets = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
var endpoints = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 4;
var dir = Directory.CreateTempSubdirectory("actor-bench-");
var rows = new List<(string What, string Value)>();
try
{
    await using var store = await StoreFactory.OpenAsync("sqlite:" + Path.Combine(dir.FullName, "bench.db"));
    var instant = new ScanStepRegistry(new Discover(endpoints), [new Session()]);
    var rssBefore = Rss();

    // Start-up: the node joins itself and its feeder wakes the one shard of a one-target census.
    var clock = Stopwatch.StartNew();
    var first = await PlanAsync(store, "first", 1);
    await using ((await StartAsync(store, instant, "first", 16)).Cluster)
    {
        await DoneAsync(store, first);
        rows.Add(("one-node cluster start + first target done (ms)", Ms(clock.Elapsed)));
        rows.Add(("RSS after start (MiB)", MiB(Rss())));
    }

    // Fresh targets, one address each (one entity each), 16 in flight like a node; every event through the serializer.
    var node = await StartAsync(store, instant, "many", 16);
    await using (node.Cluster)
    {
        var many = await PlanAsync(store, "many", targets);
        clock.Restart();
        await DoneAsync(store, many);
        rows.Add(($"targets scanned ({endpoints} endpoints, no I/O)", targets.ToString("N0", CultureInfo.InvariantCulture)));
        rows.Add(("targets/s (planned → recorded, feeder and entities included)", (targets / clock.Elapsed.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture)));
        rows.Add(("steps/s", (node.Runtime.StepsRun / clock.Elapsed.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture)));
    }

    // Targets in flight: every target's discover step waits; memory per target (entity + target actor) from the heap.
    var gate = new TaskCompletionSource<StepOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
    var waiting = new ScanStepRegistry(new Waiting(gate.Task), [new Session()]);
    var parked = await StartAsync(store, waiting, "parked", targets);
    await using (parked.Cluster)
    {
        GC.Collect();
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        var census = await PlanAsync(store, "parked", targets);
        while (Waiting.Entered < targets)
        {
            await Task.Delay(50);
        }

        var perTarget = (GC.GetTotalMemory(forceFullCollection: true) - heap) / (double)targets;
        rows.Add(("managed memory per target in flight (KiB)", (perTarget / 1024).ToString("N1", CultureInfo.InvariantCulture)));
        gate.SetResult(Discover.Outcome(endpoints));
        await DoneAsync(store, census);
    }

    rows.Add(("RSS at end (MiB; before the store: " + (rssBefore / 1048576) + ")", MiB(Rss())));
}
finally
{
    dir.Delete(recursive: true);
}

var width = rows.Max(r => r.What.Length);
Console.WriteLine($"{"measure".PadRight(width)}  value");
Console.WriteLine($"{new string('-', width)}  -----");
foreach (var (what, value) in rows)
{
    Console.WriteLine($"{what.PadRight(width)}  {value}");
}

static async Task<Node> StartAsync(ICensusStore store, ScanStepRegistry steps, string name, int inFlight)
{
    var context = new CensusScanContext([XmppMode.C2S], steps, new StepRunner(new PolitenessSettings(1, 0, 0, 1)), Blocklist.Parse([], out _));
    var runtime = new NodeRuntime(store, new NodeOptions { NodeId = "bench-" + name, Region = "eu", TargetsInFlight = inFlight }, TextWriter.Null,
        contexts: _ => context);
    var cluster = await ScanClusterNode.StartAsync(runtime, new ClusterOptions { FeedInterval = TimeSpan.FromMilliseconds(200) }, CancellationToken.None);
    return new Node(runtime, cluster);
}

// Each target on an address of its own (no I/O: the addresses only key the shards).
static async Task<Guid> PlanAsync(ICensusStore store, string name, int count)
{
    var census = await store.CreateCensusAsync(new CensusDefinition(name, "{}", "ssllabs-2009r", ["eu"]));
    var added = await store.AddTargetsAsync(census.CensusId, Enumerable.Range(0, count).Select(i => $"t{i}.bench.example"));
    await store.PlanShardsAsync(census.CensusId, [.. added.Added.Select((t, i) =>
        new TargetEndpoints(t.TargetId, [new IPAddress([10, (byte)(i >> 16), (byte)(i >> 8), (byte)i])]))], ShardKeyPolicy.PerAddress);
    return census.CensusId;
}

static async Task DoneAsync(ICensusStore store, Guid census)
{
    while ((await store.GetProgressAsync(census)).Single().TargetsRemaining > 0)
    {
        await Task.Delay(20);
    }
}

static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("N0", CultureInfo.InvariantCulture);

static string MiB(long bytes) => (bytes / 1048576.0).ToString("N0", CultureInfo.InvariantCulture);

static long Rss() => Process.GetCurrentProcess().WorkingSet64;

internal sealed record Node(NodeRuntime Runtime, ScanClusterNode Cluster);

internal sealed class Discover(int endpoints) : IScanStep
{
    public string Name => "discover";

    public Task<StepOutcome> RunAsync(StepInput input, CancellationToken ct) => Task.FromResult(Outcome(endpoints, input.Domain));

    public static StepOutcome Outcome(int endpoints, string domain = "bench.example") => StepOutcome.Done([
        .. Enumerable.Range(0, endpoints).Select(i => (IEventData)new EndpointDiscovered(domain, XmppMode.C2S, TlsTransport.StartTls,
            "xmpp." + domain, $"192.0.2.{10 + i}", 5222, 0, 5, EndpointSource.Srv)),
        new DiscoveryCompleted(domain, XmppMode.C2S, new DnsReport([], false, false, DnssecStatus.Insecure, []), endpoints)]);
}

internal sealed class Session : IScanStep
{
    public string Name => "session";

    public Task<StepOutcome> RunAsync(StepInput input, CancellationToken ct) => Task.FromResult(StepOutcome.Done(
        new EndpointSessionObserved(input.Mode, input.EndpointIndex!.Value, new EndpointReport("xmpp." + input.Domain,
            input.Endpoint!.Address.ToString(), 5222, TlsTransport.StartTls, 0, 5, EndpointSource.Srv, ProbeStatus.Completed, null, null,
            new TlsSessionReport("TLSv1.3", null, null), null, 12))));
}

internal sealed class Waiting(Task<StepOutcome> gate) : IScanStep
{
    private static int _entered;

    public static int Entered => Volatile.Read(ref _entered);

    public string Name => "discover";

    public Task<StepOutcome> RunAsync(StepInput input, CancellationToken ct)
    {
        Interlocked.Increment(ref _entered);
        return gate;
    }
}
