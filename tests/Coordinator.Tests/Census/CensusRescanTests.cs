using System.Net;
using XmppScanCluster.Coordinator.Aggregation;
using XmppScanCluster.Coordinator.Api;
using XmppScanCluster.Coordinator.Cli;
using XmppScanCluster.Coordinator.Cluster;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Coordinator.Tests.Support;
using XmppScanCluster.Shared.Events;

namespace XmppScanCluster.Coordinator.Tests.Census;

/// <summary><c>xmppscan ctl rescan</c> on a testbed census: a finished target is scanned again in a new stream; a target
/// being scanned is restarted at once by its shard's entity as the new generation (the feeder's RescanTarget).</summary>
[Collection(CensusCollection.Name)]
public sealed class CensusRescanTests(CensusTestbed testbed) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("xmppscan-rescan-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task RescanOfAFinishedTarget_scansItAgainInANewGeneration()
    {
        var targets = Path.Combine(_dir, "pair.txt");
        File.WriteAllLines(targets, ["modern.test", "ecdsa.test"]);
        var db = "sqlite:" + Path.Combine(_dir, "pair.db");
        Assert.Equal(0, await CliApp.RunAsync(["census", "--targets", targets, "--store", db, "--spacing", "0.1", "--depth", "session", "--log", Path.Combine(_dir, "node.log"),
            .. testbed.ScanOptions], TextWriter.Null, TextWriter.Null, CancellationToken.None));

        // The planner logs through Microsoft.Extensions.Logging into the command's log, under its category.
        Assert.Contains(File.ReadLines(Path.Combine(_dir, "node.log")), l => l.EndsWith(" planner: discovery: 2 targets resolved, 0 without addresses", StringComparison.Ordinal));

        // Run again with other settings: the user is told on standard output that the stored ones are used.
        using (var again = new StringWriter())
        {
            Assert.Equal(0, await CliApp.RunAsync(["census", "--targets", targets, "--store", db, "--spacing", "0.3", "--depth", "session", "--no-node",
                .. testbed.ScanOptions], again, TextWriter.Null, CancellationToken.None));
            Assert.StartsWith("census pair exists: its stored settings are used, not this command line's", again.ToString(), StringComparison.Ordinal);
        }

        await using var store = await StoreFactory.OpenAsync(db);
        var census = (await store.FindCensusAsync("pair"))!;
        Assert.Equal(CensusState.Completed, census.State);
        await using (var server = await CoordinatorServer.StartAsync(store, new IPEndPoint(IPAddress.Loopback, 0), token: null))
        {
            using var stdout = new StringWriter();
            Assert.Equal(0, await CliApp.RunAsync(["ctl", "--coordinator", server.Url, "rescan", "pair", "modern.test"], stdout, TextWriter.Null, CancellationToken.None));
            Assert.Equal("census pair: modern.test queued (scan generation 1)", stdout.ToString().Trim());
        }

        Assert.Equal(CensusState.Running, (await store.GetCensusAsync(census.CensusId))!.State);
        Assert.Equal(1, (await store.GetProgressAsync(census.CensusId)).Single().TargetsRemaining);
        await ScanClusterNode.RunUntilFinishedAsync(
            new NodeRuntime(store, new XmppScanCluster.ScanNode.Node.NodeOptions { NodeId = "rescanner", Region = "default" }, TextWriter.Null),
            new ClusterOptions(), census.CensusId, new CancellationTokenSource(TimeSpan.FromSeconds(90)).Token);

        Assert.Equal(0, (await store.GetProgressAsync(census.CensusId)).Single().TargetsRemaining);
        var events = await JournalChecks.ReadAllAsync(store, census.CensusId);
        var modern = (await store.ListTargetsAsync(census.CensusId, null, 10)).Single(t => t.Domain == "modern.test").TargetId;
        var completed = events.Where(e => e.Type == DomainScanCompleted.TypeName).ToList();
        Assert.Equal(3, completed.Count);
        Assert.Single(completed, e => e.TargetId == TargetStreams.For(modern, "default", 1) && e.NodeId == "rescanner");

        var aggregator = new Aggregator(store, census.CensusId);
        await aggregator.CatchUpAsync();
        Assert.Equal(2, aggregator.Results(XmppScanCluster.Coordinator.Grading.Policies.SslLabs2009r).Count);
    }

    [Fact]
    public async Task CtlRescanWhileTheTargetIsBeingScanned_restartsItAtOnceAsTheNewGeneration()
    {
        var targets = Path.Combine(_dir, "legacy.txt");
        File.WriteAllLines(targets, ["legacy.test"]);
        var db = "sqlite:" + Path.Combine(_dir, "legacy.db");
        await using var store = await StoreFactory.OpenAsync(db);
        // Depth full on legacy.test (about 320 connections at 0.05 s spacing, 16 s or more): the feeder (every 2 s) tells
        // the entity long before the first generation could finish.
        var census = CliApp.RunAsync(["census", "--targets", targets, "--store", db, "--spacing", "0.05", "--log", Path.Combine(_dir, "legacy-node.log"),
            .. testbed.ScanOptions], TextWriter.Null, TextWriter.Null, CancellationToken.None);
        Guid id = default, target = default;
        await CensusTestbed.WaitUntilAsync(async () =>
        {
            if (await store.FindCensusAsync("legacy") is not { } found || await store.ListTargetsAsync(found.CensusId, null, 10) is not [var only])
            {
                return false;
            }

            (id, target) = (found.CensusId, only.TargetId);
            return (await store.ReadTargetAsync(id, TargetStreams.For(target, "default", 0))).Count > 0;
        }, TimeSpan.FromSeconds(60), "the target's scan started");

        await using (var server = await CoordinatorServer.StartAsync(store, new IPEndPoint(IPAddress.Loopback, 0), token: null))
        {
            using var stdout = new StringWriter();
            Assert.Equal(0, await CliApp.RunAsync(["ctl", "--coordinator", server.Url, "rescan", "legacy", "legacy.test"], stdout, TextWriter.Null, CancellationToken.None));
            Assert.Equal("census legacy: legacy.test queued (scan generation 1)", stdout.ToString().Trim());
        }

        var finished = await Task.WhenAny(census, Task.Delay(TimeSpan.FromSeconds(180)));
        Assert.True(finished == census, "the census did not finish");
        Assert.Equal(0, await census);

        // Generation 0 was stopped unfinished; generation 1 ran in its own stream to its result.
        var events = await JournalChecks.ReadAllAsync(store, id);
        var old = TargetStreams.For(target, "default", 0);
        var rescanned = TargetStreams.For(target, "default", 1);
        Assert.DoesNotContain(events, e => e.TargetId == old && e.Type == TargetScanCompleted.TypeName);
        Assert.Single(events, e => e.TargetId == rescanned && e.Type == TargetScanCompleted.TypeName);
        Assert.Equal(2, events.Count(e => e.TargetId == rescanned && e.Type == EndpointTlsAssessed.TypeName));
        Assert.Single(events, e => e.Type == DomainScanCompleted.TypeName);
        Assert.Equal(0, (await store.GetProgressAsync(id)).Single().TargetsRemaining);
        Assert.Contains("legacy.test rescanned, the scan in flight restarts as generation 1", await File.ReadAllTextAsync(Path.Combine(_dir, "legacy-node.log")));
    }
}
