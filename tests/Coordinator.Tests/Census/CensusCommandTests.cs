using System.Net;
using Akka.Actor;
using Akka.Cluster.Sharding;
using XmppScanCluster.Coordinator.Api;
using XmppScanCluster.Coordinator.Cli;
using XmppScanCluster.Coordinator.Cluster;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.ScanNode.Node;

namespace XmppScanCluster.Coordinator.Tests.Census;

/// <summary>
/// <c>xmppscan ctl census pause|resume|cancel</c> through the coordinator's API to the embedded one-node cluster scanning
/// the testbed: a pause stops the target in flight (it does not run to its end: legacy.test at full depth makes over a
/// hundred connections) and leaves no entity and no slot in use, a resume completes the census with the target started
/// once, a cancel stops the target in flight and records it failed. Waits are bounded conditions, never a verdict by time.
/// </summary>
[Collection(CensusCollection.Name)]
public sealed class CensusCommandTests(CensusTestbed testbed) : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(120);
    private readonly string _dir = Directory.CreateTempSubdirectory("xmppscan-commands-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task CtlPause_stopsTheTargetInFlight_resume_completesIt_cancel_stopsAndRecordsItFailed()
    {
        var db = "sqlite:" + Path.Combine(_dir, "commands.db");
        var connections = Path.Combine(_dir, "connections.log");
        await PlanAsync(db, "paused");
        await using var store = await StoreFactory.OpenAsync(db);
        await using var server = await CoordinatorServer.StartAsync(store, new IPEndPoint(IPAddress.Loopback, 0), token: null);
        using var text = new StringWriter();
        var log = TextWriter.Synchronized(text);
        var node = new NodeRuntime(store, new NodeOptions { NodeId = "commands", ConnectionLogPath = connections }, log);
        await using var cluster = await ScanClusterNode.StartAsync(node, new ClusterOptions(), CancellationToken.None);

        // Pause mid-target: the entity stops it at once, gives back its slot and passivates; it is not recorded.
        var paused = (await store.FindCensusAsync("paused"))!;
        await CensusTestbed.WaitUntilAsync(() => Task.FromResult(Lines(connections) > 0), Wait, "the first connection to legacy.test");
        Assert.Equal(0, await Ctl(server, "census", "pause", "paused"));
        await WaitIdleAsync(cluster, "the paused census's entity to stop");
        var atPause = Lines(connections);
        Assert.Equal(1, (await store.GetProgressAsync(paused.CensusId)).Single().TargetsRemaining);
        Assert.Equal(CensusState.Paused, (await store.GetCensusAsync(paused.CensusId))!.State);
        Assert.Contains("census paused paused: telling 1 shard(s)", Text(log, text), StringComparison.Ordinal);

        // Resume: the target replays what it recorded and completes; the census completes.
        Assert.Equal(0, await Ctl(server, "census", "resume", "paused"));
        await CensusTestbed.WaitUntilAsync(async () => (await store.GetCensusAsync(paused.CensusId))!.State == CensusState.Completed, Wait,
            "the resumed census to complete");
        var full = Lines(connections);
        Assert.True(atPause < full / 2, $"{atPause} of {full} connections were made before the pause took effect: the target ran on");
        var events = await JournalChecks.ReadAllAsync(store, paused.CensusId);
        Assert.Single(events, e => e.Type == XmppScanCluster.Shared.Events.TargetScanStarted.TypeName);
        Assert.Single(events, e => e.Type == XmppScanCluster.Shared.Events.TargetScanCompleted.TypeName);

        // Cancel mid-target: stopped at once and recorded failed (reason cancelled); the census stays cancelled.
        await PlanAsync(db, "cancelled");
        var cancelled = (await store.FindCensusAsync("cancelled"))!;
        await CensusTestbed.WaitUntilAsync(() => Task.FromResult(Lines(connections) > full), Wait, "the second census's first connection");
        Assert.Equal(0, await Ctl(server, "census", "cancel", "cancelled"));
        await WaitIdleAsync(cluster, "the cancelled census's entity to stop");
        Assert.True(Lines(connections) - full < full / 2, "the cancelled target ran on");
        var progress = (await store.GetProgressAsync(cancelled.CensusId)).Single();
        Assert.Equal((0, 1, 0), (progress.TargetsDone, progress.TargetsFailed, progress.TargetsRemaining));
        Assert.Equal(CensusState.Cancelled, (await store.GetCensusAsync(cancelled.CensusId))!.State);
    }

    private async Task PlanAsync(string db, string name)
    {
        var targets = Path.Combine(_dir, name + ".txt");
        File.WriteAllLines(targets, ["legacy.test"]);
        Assert.Equal(0, await CliApp.RunAsync(["census", "--targets", targets, "--store", db, "--spacing", "0.02", "--no-node", .. testbed.ScanOptions],
            TextWriter.Null, TextWriter.Null, CancellationToken.None));
    }

    private static async Task<int> Ctl(CoordinatorServer server, params string[] args) =>
        await CliApp.RunAsync(["ctl", "--coordinator", server.Url, .. args], TextWriter.Null, TextWriter.Null, CancellationToken.None);

    /// <summary>No entity alive and no target slot in use on the node: nothing can start.</summary>
    private static Task WaitIdleAsync(ScanClusterNode cluster, string what) =>
        CensusTestbed.WaitUntilAsync(async () =>
        {
            var slots = await cluster.Slots.Ask<TargetSlots.SlotUse>(new TargetSlots.GetSlotUse(), TimeSpan.FromSeconds(30));
            var region = await cluster.Shards.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, TimeSpan.FromSeconds(30));
            return slots == new TargetSlots.SlotUse(0, 0) && region.Shards.Sum(s => s.EntityIds.Count) == 0;
        }, Wait, what);

    private static int Lines(string path) => File.Exists(path) ? File.ReadAllLines(path).Length : 0;

    /// <summary>The node's log so far (the synchronized writer locks on itself, as the node's writers do).</summary>
    private static string Text(TextWriter log, StringWriter text)
    {
        lock (log)
        {
            return text.ToString();
        }
    }
}
