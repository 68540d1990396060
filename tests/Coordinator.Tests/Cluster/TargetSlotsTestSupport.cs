using Akka.Actor;
using Akka.TestKit;
using XmppScanCluster.Coordinator.Cluster;

namespace XmppScanCluster.Coordinator.Tests.Cluster;

/// <summary>What the <see cref="TargetSlots"/> tests do to it: probes standing for address-shard entities ask for slots,
/// take the grants and read the slot use (nothing timed: every answer follows the grants decided before it, one mailbox).</summary>
internal static class TargetSlotsTestSupport
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    public static Guid[] RequestAll(TestProbe entity, IActorRef slots, int targets, int lanes = int.MaxValue)
    {
        var ids = Enumerable.Range(0, targets).Select(_ => Guid.NewGuid()).ToArray();
        foreach (var id in ids)
        {
            entity.Send(slots, new TargetSlots.RequestSlot(id, lanes));
        }

        return ids;
    }

    public static Guid[] Granted(TestProbe entity, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => entity.ExpectMsg<TargetSlots.SlotGranted>(Wait).Target)];

    public static TargetSlots.SlotUse Use(TestKitBase kit, IActorRef slots)
    {
        slots.Tell(new TargetSlots.GetSlotUse(), kit.TestActor);
        return kit.ExpectMsg<TargetSlots.SlotUse>(Wait);
    }
}
