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

        // Leased in eu now: queued behind the lease; asked again after it expired, the two requests are one.
        Assert.Equal(new RescanResult(RescanOutcome.Queued, 2), await Store.RescanTargetAsync(census.CensusId, "t0000.example"));
        Assert.Equal(RescanOutcome.NotFound, (await Store.RescanTargetAsync(census.CensusId, "nope.example")).Outcome);
        Assert.Equal(RescanOutcome.NotFound, (await Store.RescanTargetAsync(Guid.NewGuid(), "t0000.example")).Outcome);
        Time.Advance(Lease + TimeSpan.FromSeconds(1));
        Assert.Equal(new RescanResult(RescanOutcome.Queued, 2), await Store.RescanTargetAsync(census.CensusId, "t0000.example"));
        Assert.Equal(2, Assert.Single(await Store.GetShardTargetsAsync(again.ShardId)).Generation);
        await Store.SetCensusStateAsync(census.CensusId, CensusState.Cancelled);
        Assert.Equal(RescanOutcome.CensusCancelled, (await Store.RescanTargetAsync(census.CensusId, "t0000.example")).Outcome);
    }

    [Fact]
    public async Task Rescan_whileLeased_isQueued_andTheHolderFinishesFirst_thenTheShardIsPendingAgain()
    {
        var (census, _) = await PlannedCensusAsync(1, "eu");
        var lease = Assert.Single(await Store.LeaseShardsAsync("n1", "eu", 10, Lease));
        var target = Assert.Single(await Store.GetShardTargetsAsync(lease.ShardId));

        Assert.Equal(new RescanResult(RescanOutcome.Queued, 1), await Store.RescanTargetAsync(census.CensusId, target.Domain));
        // The holder keeps scanning generation 0: nothing changed under its lease.
        var during = Assert.Single(await Store.GetShardTargetsAsync(lease.ShardId));
        Assert.Equal((TargetStatus.Pending, 0), (during.Status, during.Generation));
        Assert.True(await Store.CompleteTargetAsync(lease, target.TargetId, TargetOutcome.Done));
        Assert.True(await Store.CompleteShardAsync(lease));

        var progress = Assert.Single(await Store.GetProgressAsync(census.CensusId));
        Assert.Equal((1, 1), (progress.TargetsRemaining, progress.ShardsPending));
        var next = Assert.Single(await Store.LeaseShardsAsync("n2", "eu", 10, Lease));
        var again = Assert.Single(await Store.GetShardTargetsAsync(next.ShardId));
        Assert.Equal((TargetStatus.Pending, 1), (again.Status, again.Generation));
        Assert.True(next.Token > lease.Token);
    }

    [Fact]
    public async Task Rescan_whileLeased_appliesAfterTheLeaseExpired_orWasReleased()
    {
        var (census, _) = await PlannedCensusAsync(2, "eu");
        var leases = await Store.LeaseShardsAsync("dead", "eu", 10, Lease);
        Assert.Equal(2, leases.Count);
        var targets = new List<ShardTarget>();
        foreach (var l in leases)
        {
            targets.Add(Assert.Single(await Store.GetShardTargetsAsync(l.ShardId)));
            Assert.Equal(RescanOutcome.Queued, (await Store.RescanTargetAsync(census.CensusId, targets[^1].Domain)).Outcome);
        }

        // One shard released by its node, the other's node died: its lease expires and the next lease call applies it.
        Assert.True(await Store.ReleaseLeaseAsync(leases[0]));
        Assert.Equal(1, Assert.Single(await Store.GetShardTargetsAsync(leases[0].ShardId)).Generation);
        Assert.Equal(0, Assert.Single(await Store.GetShardTargetsAsync(leases[1].ShardId)).Generation);
        Time.Advance(Lease + TimeSpan.FromSeconds(1));
        var taken = await Store.LeaseShardsAsync("alive", "eu", 10, Lease);
        Assert.Equal(2, taken.Count);
        foreach (var l in taken)
        {
            Assert.Equal(1, Assert.Single(await Store.GetShardTargetsAsync(l.ShardId)).Generation);
        }
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
