using XmppScanCluster.Coordinator.Store;

namespace XmppScanCluster.Coordinator.Tests.Store;

/// <summary>Rescan (a new scan generation), the census list and the held leases, on both engines.</summary>
public abstract partial class CensusStoreContract
{
    [Fact]
    public async Task Rescan_ofADoneTarget_makesItPendingInEveryRegionUnderGenerationOne()
    {
        var (census, targets) = await PlannedCensusAsync(2, "eu", "us");
        foreach (var region in new[] { "eu", "us" })
        {
            foreach (var lease in await Store.LeaseShardsAsync("n-" + region, region, 10, Lease))
            {
                var target = Assert.Single(await Store.GetShardTargetsAsync(lease.ShardId));
                Assert.Equal(0, target.Generation);
                Assert.True(await Store.CompleteTargetAsync(lease, target.TargetId, TargetOutcome.Done));
                Assert.True(await Store.CompleteShardAsync(lease));
            }
        }

        await Store.SetCensusStateAsync(census.CensusId, CensusState.Completed);
        var result = await Store.RescanTargetAsync(census.CensusId, " T0000.Example. ");
        Assert.Equal(new RescanResult(RescanOutcome.Queued, 1), result);
        Assert.Equal(CensusState.Running, (await Store.GetCensusAsync(census.CensusId))!.State);
        Assert.All(await Store.GetProgressAsync(census.CensusId), p => Assert.Equal((1, 1), (p.TargetsRemaining, p.ShardsPending)));

        var again = Assert.Single(await Store.LeaseShardsAsync("n-eu", "eu", 10, Lease));
        var rescanned = Assert.Single(await Store.GetShardTargetsAsync(again.ShardId));
        Assert.Equal((targets[0].TargetId, TargetStatus.Pending, 1), (rescanned.TargetId, rescanned.Status, rescanned.Generation));

        Assert.Equal(RescanOutcome.Busy, (await Store.RescanTargetAsync(census.CensusId, "t0000.example")).Outcome);
        Assert.Equal(RescanOutcome.NotFound, (await Store.RescanTargetAsync(census.CensusId, "nope.example")).Outcome);
        Assert.Equal(RescanOutcome.NotFound, (await Store.RescanTargetAsync(Guid.NewGuid(), "t0000.example")).Outcome);
        Time.Advance(Lease + TimeSpan.FromSeconds(1));
        Assert.Equal(new RescanResult(RescanOutcome.Queued, 2), await Store.RescanTargetAsync(census.CensusId, "t0000.example"));
        await Store.SetCensusStateAsync(census.CensusId, CensusState.Cancelled);
        Assert.Equal(RescanOutcome.CensusCancelled, (await Store.RescanTargetAsync(census.CensusId, "t0000.example")).Outcome);
    }

    [Fact]
    public async Task ListCensusesAndLeases_showEveryCensusAndTheShardsHeld()
    {
        var (first, _) = await PlannedCensusAsync(3, "eu");
        Time.Advance(TimeSpan.FromSeconds(1));
        var second = await NewCensusAsync("us");
        Assert.Equal([first.Name, second.Name], (await Store.ListCensusesAsync()).Select(c => c.Name));
        Assert.Equal(["eu"], (await Store.ListCensusesAsync())[0].Regions);

        var leased = await Store.LeaseShardsAsync("node-a", "eu", 2, Lease);
        var held = await Store.ListLeasesAsync();
        Assert.Equal(leased.Select(l => (l.ShardId, l.NodeId, l.Token, l.ExpiresAt, l.CensusId)).Order(),
            held.Select(l => (l.ShardId, l.NodeId, l.Token, l.ExpiresAt, l.CensusId)).Order());
    }
}
