using Akka.Actor;
using Akka.Cluster.Sharding;
using XmppScanCluster.Coordinator.Cluster;
using XmppScanCluster.Coordinator.Store;

namespace XmppScanCluster.Coordinator.Tests.Cluster;

/// <summary>An address shard holds no more slots than its address can use (issue 14): the rest stay free for other
/// addresses.</summary>
public sealed partial class AddressShardEntityTests
{
    [Fact]
    public async Task FiveTargetsOfOneAddress_tenSlots_holdOnlyThreeLanes_atOneConnectionPerAddress_andAllAreRecorded()
    {
        var (census, shard) = await PlanAsync("a.example", "b.example", "c.example", "d.example", "e.example");
        var slots = Sys.ActorOf(TargetSlots.Props(10));
        StartEntity(shard, slots);

        // The census's politeness is the default, one connection per address: three targets in flight, two waiting.
        AwaitAssert(() =>
        {
            slots.Tell(new TargetSlots.GetSlotUse());
            Assert.Equal(new TargetSlots.SlotUse(3, 2), ExpectMsg<TargetSlots.SlotUse>(Wait));
        }, Wait);
        AwaitCondition(() => _discover.MostAtOnce == 3, Wait);

        _discover.Open();
        ExpectMsg<Passivate>(Wait);
        Assert.Equal(3, _discover.MostAtOnce);
        Assert.Equal(5, Assert.Single(await _store.GetProgressAsync(census)).TargetsDone);
        Assert.True((await _store.GetShardAsync(shard))!.Done);
    }
}
