using Akka.TestKit;
using XmppScanCluster.Coordinator.Cluster;

using static XmppScanCluster.Coordinator.Tests.Cluster.TargetSlotsTestSupport;

namespace XmppScanCluster.Coordinator.Tests.Cluster;

/// <summary>
/// The node's target slots handed out along the census's critical path (issue 14, bench/federation): test probes stand for
/// address-shard entities. Nothing here is timed: every assertion follows a <see cref="TargetSlots.GetSlotUse"/> answer,
/// which the slots actor sends after every grant it decided before it (one mailbox), so a grant not in a probe's mailbox then
/// was not made.
/// </summary>
public sealed class TargetSlotsTests : Akka.TestKit.Xunit2.TestKit
{
    [Fact]
    public void FreedSlot_goesToTheEntityWithTheMostTargetsLeft_notToTheFirstToAsk_andToTheEarlierOnATie()
    {
        var slots = Sys.ActorOf(TargetSlots.Props(1));
        var (blocker, small, big) = (CreateTestProbe(), CreateTestProbe(), CreateTestProbe());
        var held = RequestAll(blocker, slots, 1)[0];
        blocker.ExpectMsg<TargetSlots.SlotGranted>(Wait);
        var one = RequestAll(small, slots, 1);
        var five = RequestAll(big, slots, 5);
        Assert.Equal(new TargetSlots.SlotUse(1, 6), Use(this, slots));

        // The busiest address's five targets are the critical path: it gets every freed slot while it has more left.
        blocker.Send(slots, new TargetSlots.ReleaseSlot(held));
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(five[i], big.ExpectMsg<TargetSlots.SlotGranted>(Wait).Target);
            Use(this, slots);
            Assert.False(small.HasMessages, $"grant {i + 1} went to the one-target entity");
            big.Send(slots, new TargetSlots.ReleaseSlot(five[i]));
        }

        // One left each: the earlier asker first.
        Assert.Equal(one[0], small.ExpectMsg<TargetSlots.SlotGranted>(Wait).Target);
        Use(this, slots);
        Assert.False(big.HasMessages);
        small.Send(slots, new TargetSlots.ReleaseSlot(one[0]));
        Assert.Equal(five[4], big.ExpectMsg<TargetSlots.SlotGranted>(Wait).Target);
        Assert.Equal(new TargetSlots.SlotUse(1, 0), Use(this, slots));
    }

    [Fact]
    public void AnEntity_holdsAtMostItsLanes_theOtherSlotsGoToOtherAddresses()
    {
        var slots = Sys.ActorOf(TargetSlots.Props(10));
        var (big, small) = (CreateTestProbe(), CreateTestProbe());
        var six = RequestAll(big, slots, 6, lanes: 3);
        Assert.Equal(new TargetSlots.SlotUse(3, 3), Use(this, slots));
        Assert.Equal(six[..3], Granted(big, 3));

        var two = RequestAll(small, slots, 2, lanes: 3);
        Assert.Equal(new TargetSlots.SlotUse(5, 3), Use(this, slots));
        Assert.Equal(two, Granted(small, 2));

        // A finished target frees a lane: the next of the same entity takes it, still three at most.
        big.Send(slots, new TargetSlots.ReleaseSlot(six[0]));
        Assert.Equal(six[3], big.ExpectMsg<TargetSlots.SlotGranted>(Wait).Target);
        Assert.Equal(new TargetSlots.SlotUse(5, 2), Use(this, slots));
        Assert.False(big.HasMessages);
    }

    [Fact]
    public void AStoppedEntity_givesBackWhatItHeld_andItsWaitingTargetsLeaveTheQueue()
    {
        var slots = Sys.ActorOf(TargetSlots.Props(2));
        var (gone, other) = (CreateTestProbe(), CreateTestProbe());
        RequestAll(gone, slots, 3);
        Granted(gone, 2);
        var two = RequestAll(other, slots, 2);
        Assert.Equal(new TargetSlots.SlotUse(2, 3), Use(this, slots));

        Sys.Stop(gone.Ref);
        Assert.Equal(two, Granted(other, 2));
        Assert.Equal(new TargetSlots.SlotUse(2, 0), Use(this, slots));
    }

    [Fact]
    public void Stopped_logsTheMostTargetsItHadInFlight()
    {
        var lines = new List<string>();
        var slots = Sys.ActorOf(TargetSlots.Props(10, line => { lock (lines) { lines.Add(line); } }));
        var entity = CreateTestProbe();
        var four = RequestAll(entity, slots, 4, lanes: 3);
        Granted(entity, 3);
        entity.Send(slots, new TargetSlots.ReleaseSlot(four[0]));
        Granted(entity, 1);
        Use(this, slots);

        Watch(slots);
        Sys.Stop(slots);
        ExpectTerminated(slots, Wait);
        lock (lines)
        {
            Assert.Equal(["target slots: at most 3 of 10 targets in flight"], lines);
        }
    }
}
