using Akka.TestKit;
using XmppScanCluster.Coordinator.Cluster;

using static XmppScanCluster.Coordinator.Tests.Cluster.TargetSlotsTestSupport;

namespace XmppScanCluster.Coordinator.Tests.Cluster;

/// <summary>
/// The memory-sized default reached by a ramp (issue 14, bench/federation: every target of the 211-slot default started
/// at once saturated 2 cores and left the busiest address idle). Test probes stand for address-shard entities and for the
/// node's lag probe; nothing is timed: every assertion follows a <see cref="TargetSlots.GetSlotUse"/> answer, sent after
/// every grant decided before it (one mailbox).
/// </summary>
public sealed class TargetSlotsRampTests : Akka.TestKit.Xunit2.TestKit
{
    [Fact]
    public void DefaultBound_startsOnlyTheRampsStart_notEveryWaitingTarget()
    {
        var slots = Sys.ActorOf(TargetSlots.Props(SlotWindow.Ramp(4, 100)));
        var entities = Enumerable.Range(0, 20).Select(_ => CreateTestProbe()).ToList();
        foreach (var entity in entities)
        {
            RequestAll(entity, slots, 1);
        }

        // 20 one-target addresses and room for 100 in memory: 4 start, 16 wait (all at once was the old default).
        Assert.Equal(new TargetSlots.SlotUse(4, 16), Use(this, slots));
        Assert.Equal(4, entities.Count(e => e.HasMessages));
    }

    [Fact]
    public void Window_slowStartsToTwiceItsStart_thenGrowsOnePerWindow_andHalvesWhenTheNodeFallsBehind()
    {
        var slots = Sys.ActorOf(TargetSlots.Props(SlotWindow.Ramp(4, 100)));
        var entities = Enumerable.Range(0, 60).Select(_ => CreateTestProbe()).ToList();
        foreach (var entity in entities)
        {
            RequestAll(entity, slots, 1);
        }

        var running = new Queue<(TestProbe Entity, Guid Target)>();
        Assert.Equal(4, Started(slots, entities, running));

        // Slow start: each finished target gives its slot back and earns one more, until the window is twice its start.
        for (var i = 0; i < 4; i++)
        {
            Finish(running);
            Assert.Equal(2, Started(slots, entities, running));
        }

        Assert.Equal(new TargetSlots.Window(8, 0), WindowOf(slots));
        Assert.Equal(new TargetSlots.SlotUse(8, 48), Use(this, slots));

        // Then one more per window of finished targets: seven finish one for one, the eighth adds one.
        for (var i = 0; i < 7; i++)
        {
            Finish(running);
            Assert.Equal(1, Started(slots, entities, running));
        }

        Finish(running);
        Assert.Equal(2, Started(slots, entities, running));
        Assert.Equal(new TargetSlots.Window(9, 0), WindowOf(slots));

        // Behind: halved (not below the start); a second signal right after is the same congestion (one cut per window).
        slots.Tell(new TargetSlots.NodeBehind(TimeSpan.FromMilliseconds(400)), TestActor);
        Assert.Equal(new TargetSlots.Window(4, 1), WindowOf(slots));
        slots.Tell(new TargetSlots.NodeBehind(TimeSpan.FromMilliseconds(400)), TestActor);
        Assert.Equal(new TargetSlots.Window(4, 1), WindowOf(slots));

        // The 9 in flight finish without a successor until 4 are left, then one for one: no slow start again.
        for (var i = 0; i < 5; i++)
        {
            Finish(running);
        }

        Assert.Equal(0, Started(slots, entities, running));
        Assert.Equal(new TargetSlots.SlotUse(4, 39), Use(this, slots));
        Finish(running);
        Assert.Equal(1, Started(slots, entities, running));
        Assert.Equal(new TargetSlots.Window(4, 1), WindowOf(slots));
    }

    [Fact]
    public void WindowFull_theBusiestAddressStillGetsItsLanes_otherAddressesWait()
    {
        var slots = Sys.ActorOf(TargetSlots.Props(SlotWindow.Ramp(4, 100)));
        var small = Enumerable.Range(0, 4).Select(_ => CreateTestProbe()).ToList();
        foreach (var entity in small)
        {
            RequestAll(entity, slots, 2, lanes: 3);
        }

        // The window's four: both targets of the first two addresses (most left, earliest first).
        Assert.Equal(new TargetSlots.SlotUse(4, 4), Use(this, slots));
        var first = Granted(small[0], 2);
        Granted(small[1], 2);

        // The critical path arrives last, with the window full: its six lanes start at once, the small ones still wait.
        var busiest = CreateTestProbe();
        var many = RequestAll(busiest, slots, 30, lanes: 6);
        Assert.Equal(new TargetSlots.SlotUse(10, 28), Use(this, slots));
        Assert.Equal(many[..6], Granted(busiest, 6));

        // A small address's slot coming back starts nothing while the window is over-full; the busiest's own does.
        small[0].Send(slots, new TargetSlots.ReleaseSlot(first[0]));
        Assert.Equal(new TargetSlots.SlotUse(9, 28), Use(this, slots));
        Assert.All(small, e => Assert.False(e.HasMessages));
        busiest.Send(slots, new TargetSlots.ReleaseSlot(many[0]));
        Assert.Equal(new TargetSlots.SlotUse(9, 27), Use(this, slots));
        Assert.Equal(many[6], busiest.ExpectMsg<TargetSlots.SlotGranted>(Wait).Target);
        Assert.All(small, e => Assert.False(e.HasMessages));
    }

    [Fact]
    public void OperatorsBound_neitherRampsNorShrinks()
    {
        var slots = Sys.ActorOf(TargetSlots.Props(10));
        var entity = CreateTestProbe();
        RequestAll(entity, slots, 12);
        Assert.Equal(new TargetSlots.SlotUse(10, 2), Use(this, slots));
        slots.Tell(new TargetSlots.NodeBehind(TimeSpan.FromSeconds(2)), TestActor);
        Assert.Equal(new TargetSlots.Window(10, 0), WindowOf(slots));
    }

    /// <summary>How many targets started since the last call (after every grant decided so far), queued as running.</summary>
    private int Started(Akka.Actor.IActorRef slots, List<TestProbe> entities, Queue<(TestProbe Entity, Guid Target)> running)
    {
        Use(this, slots);
        var started = 0;
        foreach (var entity in entities.Where(e => e.HasMessages))
        {
            running.Enqueue((entity, entity.ExpectMsg<TargetSlots.SlotGranted>(Wait).Target));
            started++;
        }

        return started;
    }

    private static void Finish(Queue<(TestProbe Entity, Guid Target)> running)
    {
        var (entity, target) = running.Dequeue();
        entity.Send(entity.LastSender, new TargetSlots.ReleaseSlot(target));
    }

    private TargetSlots.Window WindowOf(Akka.Actor.IActorRef slots)
    {
        slots.Tell(new TargetSlots.GetWindow(), TestActor);
        return ExpectMsg<TargetSlots.Window>(Wait);
    }
}
