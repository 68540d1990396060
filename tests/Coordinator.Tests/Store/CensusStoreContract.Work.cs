using System.Net;
using XmppScanCluster.Coordinator.Store;

namespace XmppScanCluster.Coordinator.Tests.Store;

/// <summary>The cluster's work on both engines: open shards, completion under a scan generation, rescans, the reported
/// cluster members.</summary>
public abstract partial class CensusStoreContract
{
    [Fact]
    public async Task OpenShards_areThoseOfRunningCensusesInTheRegion_withATargetPending()
    {
        var (census, targets) = await PlannedCensusAsync(3, "eu", "us");
        var eu = await Store.ListOpenShardsAsync("eu");
        Assert.Equal(3, eu.Count);
        Assert.All(eu, s => Assert.Equal((census.CensusId, "eu", false), (s.CensusId, s.Region, s.Done)));
        Assert.Equal(eu[0], await Store.GetShardAsync(eu[0].ShardId));
        Assert.Null(await Store.GetShardAsync(-1));

        var target = Assert.Single(await Store.GetShardTargetsAsync(eu[0].ShardId));
        Assert.True(await Store.CompleteTargetAsync(eu[0].ShardId, target.TargetId, 0, TargetOutcome.Done));
        Assert.True((await Store.GetShardAsync(eu[0].ShardId))!.Done);
        Assert.Equal(2, (await Store.ListOpenShardsAsync("eu")).Count);
        Assert.Equal(3, (await Store.ListOpenShardsAsync("us")).Count);

        await Store.SetCensusStateAsync(census.CensusId, CensusState.Paused);
        Assert.Empty(await Store.ListOpenShardsAsync("eu"));
        await Store.SetCensusStateAsync(census.CensusId, CensusState.Running);
        Assert.Equal(2, (await Store.ListOpenShardsAsync("eu")).Count);
        Assert.Empty(await Store.ListOpenShardsAsync("ap"));
        Assert.Equal(3, targets.Count);
    }

    [Fact]
    public async Task OpenShards_theMostPendingTargetsFirst_thenById()
    {
        // One, two and three targets on ::1, ::2 and ::3: shards are numbered by key, so by id the busiest would come last.
        var census = await NewCensusAsync("eu");
        var added = await Store.AddTargetsAsync(census.CensusId, Enumerable.Range(0, 6).Select(i => $"t{i:D4}.example"));
        int[] host = [1, 2, 2, 3, 3, 3];
        await Store.PlanShardsAsync(census.CensusId,
            [.. added.Added.Select((t, i) => new TargetEndpoints(t.TargetId, [IPAddress.Parse($"2001:db8::{host[i]}")]))], ShardKeyPolicy.PerAddress);
        var open = await Store.ListOpenShardsAsync("eu");
        Assert.Equal(["2001:db8::3", "2001:db8::2", "2001:db8::1"], open.Select(s => s.ShardKey));

        // Two of the three done: the shard with two pending leads, the two with one follow by id.
        foreach (var target in (await Store.GetShardTargetsAsync(open[0].ShardId)).Take(2))
        {
            Assert.True(await Store.CompleteTargetAsync(open[0].ShardId, target.TargetId, 0, TargetOutcome.Done));
        }

        Assert.Equal(["2001:db8::2", "2001:db8::1", "2001:db8::3"], (await Store.ListOpenShardsAsync("eu")).Select(s => s.ShardKey));
    }

    [Fact]
    public async Task CompleteTarget_countsOnce_andOnlyForTheTargetsCurrentGeneration()
    {
        var (census, _) = await PlannedCensusAsync(1, "eu");
        var shard = Assert.Single(await Store.ListOpenShardsAsync("eu"));
        var target = Assert.Single(await Store.GetShardTargetsAsync(shard.ShardId));

        // A rescan while generation 0 is in flight: its completion, recorded late, leaves generation 1 pending.
        Assert.Equal(new RescanResult(RescanOutcome.Queued, 1), await Store.RescanTargetAsync(census.CensusId, target.Domain));
        Assert.False(await Store.CompleteTargetAsync(shard.ShardId, target.TargetId, 0, TargetOutcome.Done));
        var pending = Assert.Single(await Store.GetShardTargetsAsync(shard.ShardId));
        Assert.Equal((TargetStatus.Pending, 1), (pending.Status, pending.Generation));
        Assert.False((await Store.GetShardAsync(shard.ShardId))!.Done);

        Assert.True(await Store.CompleteTargetAsync(shard.ShardId, target.TargetId, 1, TargetOutcome.Failed));
        Assert.False(await Store.CompleteTargetAsync(shard.ShardId, target.TargetId, 1, TargetOutcome.Done));
        var progress = Assert.Single(await Store.GetProgressAsync(census.CensusId));
        Assert.Equal((0, 1, 0, 1), (progress.TargetsDone, progress.TargetsFailed, progress.ShardsPending, progress.ShardsDone));
    }

    [Fact]
    public async Task Rescan_ofADoneTarget_makesItPendingInEveryRegion_andACompletedCensusRunsAgain()
    {
        var (census, targets) = await PlannedCensusAsync(2, "eu", "us");
        foreach (var region in new[] { "eu", "us" })
        {
            foreach (var shard in await Store.ListOpenShardsAsync(region))
            {
                var target = Assert.Single(await Store.GetShardTargetsAsync(shard.ShardId));
                Assert.True(await Store.CompleteTargetAsync(shard.ShardId, target.TargetId, 0, TargetOutcome.Done));
            }
        }

        await Store.SetCensusStateAsync(census.CensusId, CensusState.Completed);
        Assert.Equal(new RescanResult(RescanOutcome.Queued, 1), await Store.RescanTargetAsync(census.CensusId, " T0000.Example. "));
        Assert.Equal(CensusState.Running, (await Store.GetCensusAsync(census.CensusId))!.State);
        Assert.All(await Store.GetProgressAsync(census.CensusId), p => Assert.Equal((1, 1), (p.TargetsRemaining, p.ShardsPending)));
        var again = Assert.Single(await Store.ListOpenShardsAsync("eu"));
        var rescanned = Assert.Single(await Store.GetShardTargetsAsync(again.ShardId));
        Assert.Equal((targets[0].TargetId, TargetStatus.Pending, 1), (rescanned.TargetId, rescanned.Status, rescanned.Generation));

        Assert.Equal(new RescanResult(RescanOutcome.Queued, 2), await Store.RescanTargetAsync(census.CensusId, "t0000.example"));
        Assert.Equal(RescanOutcome.NotFound, (await Store.RescanTargetAsync(census.CensusId, "nope.example")).Outcome);
        Assert.Equal(RescanOutcome.NotFound, (await Store.RescanTargetAsync(Guid.NewGuid(), "t0000.example")).Outcome);
        await Store.SetCensusStateAsync(census.CensusId, CensusState.Cancelled);
        Assert.Equal(RescanOutcome.CensusCancelled, (await Store.RescanTargetAsync(census.CensusId, "t0000.example")).Outcome);
    }

    [Fact]
    public async Task Rescans_areTheRescannedTargetsStillPendingInTheRegion_ofRunningCensuses()
    {
        var (census, targets) = await PlannedCensusAsync(3, "eu", "us");
        Assert.Empty(await Store.ListRescansAsync("eu"));
        await Store.RescanTargetAsync(census.CensusId, "t0001.example");
        await Store.RescanTargetAsync(census.CensusId, "t0001.example");

        ShardInfo? shard = null;
        foreach (var open in await Store.ListOpenShardsAsync("eu"))
        {
            shard = (await Store.GetShardTargetsAsync(open.ShardId)).Single().TargetId == targets[1].TargetId ? open : shard;
        }

        Assert.NotNull(shard);
        Assert.Equal([new PendingRescan(shard.ShardId, targets[1].TargetId, 2)], await Store.ListRescansAsync("eu"));
        Assert.Single(await Store.ListRescansAsync("us"));
        Assert.Empty(await Store.ListRescansAsync("ap"));

        await Store.SetCensusStateAsync(census.CensusId, CensusState.Paused);
        Assert.Empty(await Store.ListRescansAsync("eu"));
        await Store.SetCensusStateAsync(census.CensusId, CensusState.Running);
        Assert.True(await Store.CompleteTargetAsync(shard.ShardId, targets[1].TargetId, 2, TargetOutcome.Done));
        Assert.Empty(await Store.ListRescansAsync("eu"));
        Assert.Single(await Store.ListRescansAsync("us"));
    }

    [Fact]
    public async Task ClusterMembers_areReplacedPerRegion()
    {
        var at = Time.GetUtcNow();
        await Store.ReportClusterAsync("eu", [
            new ClusterMember("eu", "akka.tcp://xmppscan-eu@10.0.0.1:4053", "region:eu,scan", "up", true, 4, 9, at),
            new ClusterMember("eu", "akka.tcp://xmppscan-eu@10.0.0.2:4053", "region:eu,scan", "up", false, 0, 0, at)]);
        await Store.ReportClusterAsync("us", [new ClusterMember("us", "akka.tcp://xmppscan-us@10.0.1.1:4053", "region:us,scan", "joining", true, 0, 0, at)]);
        await Store.ReportClusterAsync("eu", [new ClusterMember("eu", "akka.tcp://xmppscan-eu@10.0.0.1:4053", "region:eu,scan", "up", true, 7, 11, at)]);

        var members = await Store.ListClusterMembersAsync();
        Assert.Equal([("eu", "akka.tcp://xmppscan-eu@10.0.0.1:4053", 7, 11, true), ("us", "akka.tcp://xmppscan-us@10.0.1.1:4053", 0, 0, true)],
            members.Select(m => (m.Region, m.Address, m.Shards, m.Entities, m.Reachable)));
        Assert.Equal(StoreRulesMicros(at), members[0].ReportedAt);
    }

    private static DateTimeOffset StoreRulesMicros(DateTimeOffset at) => StoreRules.FromMicros(StoreRules.ToMicros(at));
}
