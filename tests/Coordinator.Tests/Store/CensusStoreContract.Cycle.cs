using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.Coordinator.Tests.Store;

/// <summary>The whole loop the feeder and the shard entities run, as the store sees it.</summary>
public abstract partial class CensusStoreContract
{
    [Fact]
    public async Task EntityLoop_openShardsScanAppendComplete_endsWithEveryTargetAndShardDone()
    {
        var (census, targets) = await PlannedCensusAsync(6, "eu");
        while (await Store.ListOpenShardsAsync("eu") is { Count: > 0 } shards)
        {
            foreach (var shard in shards)
            {
                foreach (var target in await Store.GetShardTargetsAsync(shard.ShardId))
                {
                    // Recovery first: a target half-scanned by a node that died continues after its last sequence.
                    var next = (await Store.ReadTargetAsync(census.CensusId, target.TargetId)).Count + 1;
                    var origin = new EventOrigin(census.CensusId, target.TargetId, "node-eu-1", "eu");
                    await Store.AppendAsync(
                    [
                        EventTypeRegistry.Default.Create(new TargetScanCompleted(target.Domain, ProbeStatus.Completed, null, 1),
                            origin, next, Time.GetUtcNow()),
                    ]);
                    Assert.True(await Store.CompleteTargetAsync(shard.ShardId, target.TargetId, target.Generation, TargetOutcome.Done));
                }

                Assert.True((await Store.GetShardAsync(shard.ShardId))!.Done);
            }
        }

        var progress = Assert.Single(await Store.GetProgressAsync(census.CensusId));
        Assert.Equal((6, 6, 0, 0, 6), (progress.TargetsTotal, progress.TargetsDone, progress.TargetsRemaining,
            progress.ShardsPending, progress.ShardsDone));

        // The aggregator reads everything once, in order.
        var journal = await Store.ReadJournalAsync(0, 100, census.CensusId);
        Assert.Equal(targets.Select(t => t.Domain).Order(),
            journal.Select(e => EventTypeRegistry.Default.Deserialize<TargetScanCompleted>(e.Event).Domain).Order());

        Assert.Equal(CensusState.Completed, await Store.SetCensusStateAsync(census.CensusId, CensusState.Completed));
    }
}
