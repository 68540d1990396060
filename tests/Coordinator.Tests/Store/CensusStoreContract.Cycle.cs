using XmppScanCluster.Coordinator.Store;

namespace XmppScanCluster.Coordinator.Tests.Store;

/// <summary>The whole loop a scan node runs, as the store sees it (the events are Akka.Persistence.Sql's, not the store's).</summary>
public abstract partial class CensusStoreContract
{
    [Fact]
    public async Task NodeLoop_leaseScanAppendComplete_endsWithEveryTargetDone()
    {
        var (census, _) = await PlannedCensusAsync(6, "eu");
        await Store.RegisterNodeAsync("node-eu-1", "eu");

        while (await Store.LeaseShardsAsync("node-eu-1", "eu", 2, Lease) is { Count: > 0 } leases)
        {
            foreach (var lease in leases)
            {
                foreach (var target in await Store.GetShardTargetsAsync(lease.ShardId))
                {
                    Assert.True(await Store.CompleteTargetAsync(lease, target.TargetId, TargetOutcome.Done));
                }

                Assert.NotNull(await Store.RenewLeaseAsync(lease, Lease));
                Assert.True(await Store.CompleteShardAsync(lease));
            }

            Assert.True(await Store.HeartbeatAsync("node-eu-1"));
        }

        var progress = Assert.Single(await Store.GetProgressAsync(census.CensusId));
        Assert.Equal((6, 6, 0, 0, 6), (progress.TargetsTotal, progress.TargetsDone, progress.TargetsRemaining,
            progress.ShardsPending + progress.ShardsLeased, progress.ShardsDone));

        Assert.Equal(CensusState.Completed, await Store.SetCensusStateAsync(census.CensusId, CensusState.Completed));
        Assert.Equal(0, await Store.ReleaseLeasesAsync("node-eu-1"));
    }
}
