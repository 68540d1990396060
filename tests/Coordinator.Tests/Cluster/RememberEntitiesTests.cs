using System.Net;
using Akka.Actor;
using XmppScanCluster.Coordinator.Cluster;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Coordinator.Tests.Support;
using XmppScanCluster.ScanNode.Actors;
using XmppScanCluster.ScanNode.Actors.Steps;
using XmppScanCluster.ScanNode.Node;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Messages;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.Coordinator.Tests.Cluster;

/// <summary>
/// Sharding's remembered entities and coordinator state live in the census store's Akka.Persistence.Sql journal
/// (<see cref="ClusterConfig"/>): a one-node cluster (the embedded census) on a SQLite store, stopped while its entity's
/// target is inside its session step, started again on the same store with no feeder singleton and nothing sent to the
/// shard. Only the remembered entity can run the target again; the target replays its recorded discovery and continues
/// with the session step. Nothing is decided by time: the test waits for steps to be entered and for the store to record
/// the shard done, with a deadline only against a hang.
/// </summary>
public sealed class RememberEntitiesTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(120);
    private readonly string _dir = Directory.CreateTempSubdirectory("xmppscan-remember-").FullName;
    private ICensusStore _store = null!;

    public async Task InitializeAsync() => _store = await StoreFactory.OpenAsync("sqlite:" + Path.Combine(_dir, "remember.db"));

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task ClusterStoppedMidTarget_startedAgainWithoutFeederOrWake_theRememberedEntityFinishesTheTargetOnce()
    {
        var census = await _store.CreateCensusAsync(new CensusDefinition("remember", "{}", "ssllabs-2009r", ["eu"]));
        var target = Assert.Single((await _store.AddTargetsAsync(census.CensusId, ["a.example"])).Added);
        await _store.PlanShardsAsync(census.CensusId, [new TargetEndpoints(target.TargetId, [IPAddress.Parse("192.0.2.7")])],
            ShardKeyPolicy.PerAddress);
        var shard = Assert.Single(await _store.ListOpenShardsAsync("eu")).ShardId;

        // First run: discovery is recorded, the session step is held; the cluster stops while it is in flight.
        var discover1 = EntitySteps.Discover().Open();
        var session1 = EntitySteps.Session();
        await using (var first = await StartAsync(discover1, session1))
        {
            first.Shards.Tell(new WakeShard(shard));
            await session1.Entered.WaitAsync(Wait);
        }

        var stream = TargetStreams.For(target.TargetId, "eu");
        var recorded = await _store.ReadTargetAsync(census.CensusId, stream);
        Assert.Contains(recorded, e => e.Type == DiscoveryCompleted.TypeName);
        Assert.DoesNotContain(recorded, e => e.Type == TargetScanCompleted.TypeName);
        Assert.Equal(1, Assert.Single(await _store.GetProgressAsync(census.CensusId)).TargetsRemaining);

        // Second run: no feeder, no WakeShard. Sharding restarts the remembered entity, which runs the target.
        var discover2 = EntitySteps.Discover().Open();
        var session2 = EntitySteps.Session().Open();
        await using (await StartAsync(discover2, session2))
        {
            using var deadline = new CancellationTokenSource(Wait);
            while (!(await _store.GetShardAsync(shard))!.Done)
            {
                await Task.Delay(100, deadline.Token);
            }
        }

        Assert.Equal((1, 0, 1, 1), (discover1.Runs, discover2.Runs, session1.Runs, session2.Runs));
        var events = await _store.ReadTargetAsync(census.CensusId, stream);
        Assert.Single(events, e => e.Type == DiscoveryCompleted.TypeName);
        Assert.Single(events, e => e.Type == TargetScanCompleted.TypeName);
        var progress = Assert.Single(await _store.GetProgressAsync(census.CensusId));
        Assert.Equal((1, 0, 0), (progress.TargetsDone, progress.TargetsFailed, progress.TargetsRemaining));
    }

    /// <summary>A one-node cluster with the entities' sharding only (no feeder singleton), up in its cluster.</summary>
    private async Task<Started> StartAsync(IScanStep discover, IScanStep session)
    {
        var steps = new ScanStepRegistry(discover, [session]);
        var context = new CensusScanContext([XmppMode.C2S], steps, new StepRunner(PolitenessSettings.CensusDefault), Blocklist.Parse([], out _));
        var node = new NodeRuntime(_store, new NodeOptions { NodeId = "node-1", Region = "eu" }, TextWriter.Null, contexts: _ => context);
        var options = new ClusterOptions();
        var system = ScanClusterNode.CreateSystem(node, options);
        var cluster = Akka.Cluster.Cluster.Get(system);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        cluster.Join(cluster.SelfAddress);
        var shards = await ScanClusterNode.StartShardsAsync(system, node, system.ActorOf(TargetSlots.Props(4)), options);
        await up.Task.WaitAsync(Wait);
        return new Started(system, shards);
    }

    private sealed record Started(ActorSystem System, IActorRef Shards) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await System.Terminate();
    }
}
