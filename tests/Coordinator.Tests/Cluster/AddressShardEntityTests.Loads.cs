using Akka.Cluster.Sharding;
using XmppScanCluster.Coordinator.Cluster;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Coordinator.Tests.Support;

namespace XmppScanCluster.Coordinator.Tests.Cluster;

/// <summary>The entity reads its plan (every target of its shard) when it starts and when its last target is recorded, not
/// after every target: per record it made an address of n domains cost O(n²) rows read (issue 14, bench/depth-session).</summary>
public sealed partial class AddressShardEntityTests
{
    [Fact]
    public async Task FiveTargetsOfOneAddress_oneSlot_allRecorded_thePlanIsReadAtStartAndAfterTheLastOnly()
    {
        var (census, shard) = await PlanAsync("a.example", "b.example", "c.example", "d.example", "e.example");
        var counting = CountingStore.Wrap(_store);
        _discover.Open();
        StartEntity(shard, Sys.ActorOf(TargetSlots.Props(1)), store: counting.Store);

        ExpectMsg<Passivate>(Wait);
        Assert.Equal(5, Assert.Single(await _store.GetProgressAsync(census)).TargetsDone);
        Assert.Equal(5, counting.Calls(nameof(ICensusStore.CompleteTargetAsync)));
        Assert.Equal(2, counting.Calls(nameof(ICensusStore.GetShardTargetsAsync)));
    }
}
