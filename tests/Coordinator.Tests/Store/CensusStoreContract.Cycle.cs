using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.Coordinator.Tests.Store;

/// <summary>The whole loop a scan node runs, as the store sees it.</summary>
public abstract partial class CensusStoreContract
{
    [Fact]
    public async Task NodeLoop_leaseScanAppendComplete_endsWithEveryTargetDone()
    {
        var (census, targets) = await PlannedCensusAsync(6, "eu");
        await Store.RegisterNodeAsync("node-eu-1", "eu");

        while (await Store.LeaseShardsAsync("node-eu-1", "eu", 2, Lease) is { Count: > 0 } leases)
        {
            foreach (var lease in leases)
            {
                foreach (var target in await Store.GetShardTargetsAsync(lease.ShardId))
                {
                    // Recovery first: a target half-scanned by a crashed node continues after its last sequence.
                    var next = (await Store.ReadTargetAsync(census.CensusId, target.TargetId)).Count + 1;
                    var origin = new EventOrigin(census.CensusId, target.TargetId, "node-eu-1", "eu");
                    await Store.AppendAsync(
                    [
                        EventTypeRegistry.Default.Create(new TargetScanCompleted(target.Domain, ProbeStatus.Completed, null, 1),
                            origin, next, Time.GetUtcNow()),
                    ]);
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

        // The aggregator reads everything once, in order.
        var journal = await Store.ReadJournalAsync(0, 100, census.CensusId);
        Assert.Equal(targets.Select(t => t.Domain).Order(),
            journal.Select(e => EventTypeRegistry.Default.Deserialize<TargetScanCompleted>(e.Event).Domain).Order());

        Assert.Equal(CensusState.Completed, await Store.SetCensusStateAsync(census.CensusId, CensusState.Completed));
        Assert.Equal(0, await Store.ReleaseLeasesAsync("node-eu-1"));
    }
}
