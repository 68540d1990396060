using System.Collections.Concurrent;
using XmppScanCluster.Coordinator.Store;

namespace XmppScanCluster.Coordinator.Tests.Store;

/// <summary>Shard leases: exclusive, expiring, renewable, fenced by token, and stopped by pause.</summary>
public abstract partial class CensusStoreContract
{
    [Fact]
    public async Task Lease_grantsEachShardToOneNodeAndOnlyInItsRegion()
    {
        await PlannedCensusAsync(5, "eu", "us");

        var a = await Store.LeaseShardsAsync("node-a", "eu", 3, Lease);
        var b = await Store.LeaseShardsAsync("node-b", "eu", 3, Lease);
        var c = await Store.LeaseShardsAsync("node-c", "eu", 3, Lease);
        var us = await Store.LeaseShardsAsync("node-us", "us", 10, Lease);

        Assert.Equal((3, 2, 0, 5), (a.Count, b.Count, c.Count, us.Count));
        Assert.Empty(a.Select(l => l.ShardId).Intersect(b.Select(l => l.ShardId)));
        Assert.All(a, l => Assert.Equal(Time.GetUtcNow() + Lease, l.ExpiresAt));
        Assert.All(us, l => Assert.Equal("us", l.Region));
    }

    [Fact]
    public async Task ConcurrentLeases_fromManyConnections_neverGrantAShardTwice()
    {
        const int shards = 120;
        await PlannedCensusAsync(shards);
        var stores = new List<ICensusStore>();
        for (var i = 0; i < 4; i++)
        {
            stores.Add(await OpenAnotherAsync());
        }

        var granted = new ConcurrentBag<(long Shard, string Node)>();
        var workers = Enumerable.Range(0, 12).Select(w => Task.Run(async () =>
        {
            var store = stores[w % stores.Count];
            var node = $"node-{w}";
            while (true)
            {
                var leases = await store.LeaseShardsAsync(node, "eu", 1 + w % 3, Lease);
                if (leases.Count == 0)
                {
                    return;
                }

                foreach (var lease in leases)
                {
                    granted.Add((lease.ShardId, node));
                }

                await Task.Delay(2); // a node scans between leases; lets the others in on SQLite's single writer
            }
        })).ToList();
        await Task.WhenAll(workers);

        Assert.Equal(shards, granted.Count);
        Assert.Equal(shards, granted.Select(g => g.Shard).Distinct().Count());
        Assert.True(granted.Select(g => g.Node).Distinct().Count() > 1, "only one node got leases");
    }

    [Fact]
    public async Task ConcurrentTakeover_ofExpiredLeases_grantsEachShardOnce()
    {
        const int shards = 40;
        await PlannedCensusAsync(shards);
        var crashed = await Store.LeaseShardsAsync("node-crashed", "eu", shards, Lease);
        Assert.Equal(shards, crashed.Count);
        Time.Advance(Lease + TimeSpan.FromSeconds(1));

        var stores = new List<ICensusStore>();
        for (var i = 0; i < 4; i++)
        {
            stores.Add(await OpenAnotherAsync());
        }

        var taken = await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var mine = new List<ShardLease>();
            for (var round = 0; round < 20; round++)
            {
                mine.AddRange(await stores[w % stores.Count].LeaseShardsAsync($"node-{w}", "eu", 3, Lease));
                await Task.Delay(1);
            }

            return mine;
        })));

        var all = taken.SelectMany(t => t).ToList();
        Assert.Equal(shards, all.Count);
        Assert.Equal(shards, all.Select(l => l.ShardId).Distinct().Count());
        Assert.All(all, l => Assert.Equal(2, l.Token));
    }

    [Fact]
    public async Task ExpiredLease_isTakenOver_andTheStaleHolderIsFenced()
    {
        var (_, targets) = await PlannedCensusAsync(1);
        var stale = Assert.Single(await Store.LeaseShardsAsync("node-a", "eu", 1, Lease));
        Assert.Empty(await Store.LeaseShardsAsync("node-b", "eu", 1, Lease));

        Time.Advance(Lease + TimeSpan.FromSeconds(1));
        var fresh = Assert.Single(await Store.LeaseShardsAsync("node-b", "eu", 1, Lease));

        Assert.Equal(stale.ShardId, fresh.ShardId);
        Assert.True(fresh.Token > stale.Token);
        Assert.Null(await Store.RenewLeaseAsync(stale, Lease));
        Assert.False(await Store.CompleteTargetAsync(stale, targets[0].TargetId, TargetOutcome.Done));
        Assert.False(await Store.CompleteShardAsync(stale));
        Assert.False(await Store.ReleaseLeaseAsync(stale));
        Assert.True(await Store.CompleteTargetAsync(fresh, targets[0].TargetId, TargetOutcome.Done));
        Assert.True(await Store.CompleteShardAsync(fresh));
        Assert.Empty(await Store.LeaseShardsAsync("node-c", "eu", 1, Lease));
    }

    [Fact]
    public async Task Renew_extendsTheLeasePastItsFirstExpiry()
    {
        await PlannedCensusAsync(1);
        var lease = Assert.Single(await Store.LeaseShardsAsync("node-a", "eu", 1, Lease));

        Time.Advance(TimeSpan.FromMinutes(4));
        var renewed = await Store.RenewLeaseAsync(lease, Lease);
        Assert.NotNull(renewed);
        Assert.Equal(Time.GetUtcNow() + Lease, renewed.ExpiresAt);

        Time.Advance(TimeSpan.FromMinutes(4)); // 8 minutes after the grant: the first expiry has passed
        Assert.Empty(await Store.LeaseShardsAsync("node-b", "eu", 1, Lease));
        Assert.True(await Store.CompleteShardAsync(renewed));
    }

    [Fact]
    public async Task Release_returnsTheShardToOthers()
    {
        await PlannedCensusAsync(3);
        var leases = await Store.LeaseShardsAsync("node-a", "eu", 3, Lease);

        Assert.True(await Store.ReleaseLeaseAsync(leases[0]));
        Assert.False(await Store.ReleaseLeaseAsync(leases[0]));
        Assert.Equal([leases[0].ShardId], (await Store.LeaseShardsAsync("node-b", "eu", 3, Lease)).Select(l => l.ShardId));

        Assert.Equal(2, await Store.ReleaseLeasesAsync("node-a"));
        Assert.Equal(2, (await Store.LeaseShardsAsync("node-c", "eu", 3, Lease)).Count);
    }

    [Fact]
    public async Task PausedCensus_grantsNoLeases_untilResumed()
    {
        var (census, _) = await PlannedCensusAsync(2);
        await Store.SetCensusStateAsync(census.CensusId, CensusState.Paused);

        Assert.Empty(await Store.LeaseShardsAsync("node-a", "eu", 5, Lease));
        Time.Advance(Lease * 3);
        Assert.Empty(await Store.LeaseShardsAsync("node-a", "eu", 5, Lease));

        await Store.SetCensusStateAsync(census.CensusId, CensusState.Running);
        Assert.Equal(2, (await Store.LeaseShardsAsync("node-a", "eu", 5, Lease)).Count);
    }

    [Fact]
    public async Task CancelledCensus_grantsNoLeases_andRenewalFails()
    {
        var (census, _) = await PlannedCensusAsync(2);
        var lease = (await Store.LeaseShardsAsync("node-a", "eu", 1, Lease))[0];
        await Store.SetCensusStateAsync(census.CensusId, CensusState.Cancelled);

        Assert.Null(await Store.RenewLeaseAsync(lease, Lease));
        Assert.Empty(await Store.LeaseShardsAsync("node-b", "eu", 5, Lease));
    }

    [Fact]
    public async Task Lease_invalidArguments_areRejected()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.LeaseShardsAsync("n", "eu", 0, Lease));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.LeaseShardsAsync("n", "eu", 1, TimeSpan.Zero));
    }
}
