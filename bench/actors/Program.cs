using System.Diagnostics;
using System.Globalization;
using XmppScanCluster.Coordinator.Census;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.ScanNode.Actors;
using XmppScanCluster.ScanNode.Actors.Steps;
using XmppScanCluster.ScanNode.Node;
using XmppScanCluster.Shared.Dns;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Messages;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

// Target actors (Akka.NET persistent actors) persisted through Akka.Persistence.Sql next to a SQLite census store, with steps
// that do no I/O: what the actor runtime costs beyond the scanning. Usage: dotnet run -c Release [-- TARGETS ENDPOINTS]
var targets = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
var endpoints = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 4;
var dir = Directory.CreateTempSubdirectory("actor-bench-");
var rows = new List<(string What, string Value)>();
try
{
    await using var store = await StoreFactory.OpenAsync("sqlite:" + Path.Combine(dir.FullName, "bench.db"));
    var census = Guid.NewGuid();
    var steps = new ScanStepRegistry(new Discover(endpoints), [new Session()]);
    var runner = new StepRunner(new PolitenessSettings(1, 0, 0, 1));
    var rssBefore = Rss();

    var clock = Stopwatch.StartNew();
    await using var actors = NodeActors.Start((store.Location.Engine, store.Location.Target), "bench", "eu", TimeProvider.System, TextWriter.Null);
    await Run(Guid.NewGuid());
    rows.Add(("node actor system start + first target done (ms)", clock.Elapsed.TotalMilliseconds.ToString("N0", CultureInfo.InvariantCulture)));
    rows.Add(("RSS after start (MiB)", (Rss() / 1048576.0).ToString("N0", CultureInfo.InvariantCulture)));

    // Fresh targets, 16 in flight like a node: every event goes through the serializer and one append per persist batch.
    var streams = Enumerable.Range(0, targets).Select(_ => Guid.NewGuid()).ToList();
    clock.Restart();
    await Parallel.ForEachAsync(streams, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (s, _) => await Run(s));
    var writing = clock.Elapsed;
    var written = 0;
    foreach (var stream in streams)
    {
        written += (await store.Events.ReadStreamAsync(census, stream)).Count;
    }

    rows.Add(($"targets scanned ({endpoints} endpoints, no I/O), events written", written.ToString("N0", CultureInfo.InvariantCulture)));
    rows.Add(("journal writes through target actors (events/s)", (written / writing.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture)));
    rows.Add(("targets/s", (targets / writing.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture)));

    // Completed targets again: recovery replays the whole stream, then the actor answers at once.
    clock.Restart();
    await Parallel.ForEachAsync(streams, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (s, _) => await Run(s));
    rows.Add(("recovery of completed targets (events/s)", (written / clock.Elapsed.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture)));

    // Targets in flight: actors whose discover step waits; memory per actor from the managed heap.
    var gate = new TaskCompletionSource<StepOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
    var waiting = new ScanStepRegistry(new Waiting(gate.Task), [new Session()]);
    GC.Collect();
    var heap = GC.GetTotalMemory(forceFullCollection: true);
    var inFlight = Enumerable.Range(0, targets).Select(_ => actors.RunAsync(new EventOrigin(census, Guid.NewGuid(), "bench", "eu"), waiting, runner,
        new StartTargetScan(Guid.NewGuid(), "bench.example", [XmppMode.C2S], ["session"]), CancellationToken.None)).ToList();
    while (Waiting.Entered < targets)
    {
        await Task.Delay(50);
    }

    var perTarget = (GC.GetTotalMemory(forceFullCollection: true) - heap) / (double)targets;
    rows.Add(("managed memory per target in flight (KiB)", (perTarget / 1024).ToString("N1", CultureInfo.InvariantCulture)));
    gate.SetResult(Discover.Outcome(endpoints));
    await Task.WhenAll(inFlight);
    rows.Add(("RSS at end (MiB; before the store: " + (rssBefore / 1048576) + ")", (Rss() / 1048576.0).ToString("N0", CultureInfo.InvariantCulture)));

    async Task Run(Guid stream) =>
        await actors.RunAsync(new EventOrigin(census, stream, "bench", "eu"), steps, runner,
            new StartTargetScan(Guid.NewGuid(), "bench.example", [XmppMode.C2S], ["session"]), CancellationToken.None);
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

static long Rss() => Process.GetCurrentProcess().WorkingSet64;

internal sealed class Discover(int endpoints) : IScanStep
{
    public string Name => "discover";

    public Task<StepOutcome> RunAsync(StepInput input, CancellationToken ct) => Task.FromResult(Outcome(endpoints));

    public static StepOutcome Outcome(int endpoints) => StepOutcome.Done([
        .. Enumerable.Range(0, endpoints).Select(i => (IEventData)new EndpointDiscovered("bench.example", XmppMode.C2S, TlsTransport.StartTls,
            "xmpp.bench.example", $"192.0.2.{10 + i}", 5222, 0, 5, EndpointSource.Srv)),
        new DiscoveryCompleted("bench.example", XmppMode.C2S, new DnsReport([], false, false, DnssecStatus.Insecure, []), endpoints)]);
}

internal sealed class Session : IScanStep
{
    public string Name => "session";

    public Task<StepOutcome> RunAsync(StepInput input, CancellationToken ct) => Task.FromResult(StepOutcome.Done(
        new EndpointSessionObserved(input.Mode, input.EndpointIndex!.Value, new EndpointReport("xmpp.bench.example",
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
