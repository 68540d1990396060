using XmppScanCluster.Coordinator.Store;

namespace XmppScanCluster.Coordinator.Tests.Store;

/// <summary>The whole loop the feeder and the shard entities run, as the store sees it (the events are
/// Akka.Persistence.Sql's, not the store's).</summary>
public abstract partial class CensusStoreContract
{
    [Fact]
    public async Task EntityLoop_openShardsScanAppendComplete_endsWithEveryTargetAndShardDone()
    {
        var (census, _) = await PlannedCensusAsync(6, "eu");
        while (await Store.ListOpenShardsAsync("eu") is { Count: > 0 } shards)
        {
            foreach (var shard in shards)
            {
                foreach (var target in await Store.GetShardTargetsAsync(shard.ShardId))
                {
                    Assert.True(await Store.CompleteTargetAsync(shard.ShardId, target.TargetId, target.Generation, TargetOutcome.Done));
                }

                Assert.True((await Store.GetShardAsync(shard.ShardId))!.Done);
            }
        }

        var progress = Assert.Single(await Store.GetProgressAsync(census.CensusId));
        Assert.Equal((6, 6, 0, 0, 6), (progress.TargetsTotal, progress.TargetsDone, progress.TargetsRemaining,
            progress.ShardsPending, progress.ShardsDone));

        Assert.Equal(CensusState.Completed, await Store.SetCensusStateAsync(census.CensusId, CensusState.Completed));
    }
}
