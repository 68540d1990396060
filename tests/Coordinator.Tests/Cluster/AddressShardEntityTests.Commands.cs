using Akka.Actor;
using Akka.Cluster.Sharding;
using XmppScanCluster.Coordinator.Cluster;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Shared.Events;

namespace XmppScanCluster.Coordinator.Tests.Cluster;

/// <summary>The operator's pause and cancel as the messages the region's feeder sends: the target in flight is held in
/// its discover step (never opened before the command), so an entity that let it run to its end would never passivate.</summary>
public sealed partial class AddressShardEntityTests
{
    [Fact]
    public async Task PauseShard_stopsTheTargetInFlight_givesBackItsSlot_recordsNothing_andAResumedEntityCompletesIt()
    {
        var (census, shard) = await PlanAsync("a.example");
        var slots = Sys.ActorOf(TargetSlots.Props(1));
        var entity = StartEntity(shard, slots);
        await _discover.Entered.WaitAsync(Wait);

        await _store.SetCensusStateAsync(census, CensusState.Paused);
        entity.Tell(new PauseShard(shard));
        ExpectMsg<Passivate>(Wait);
        Assert.Equal(1, Assert.Single(await _store.GetProgressAsync(census)).TargetsRemaining);
        Assert.DoesNotContain(await _store.ReadJournalAsync(0, 1000, census), e => e.Event.Type == TargetScanCompleted.TypeName);
        AwaitAssert(() =>
        {
            slots.Tell(new TargetSlots.GetSlotUse());
            Assert.Equal(new TargetSlots.SlotUse(0, 0), ExpectMsg<TargetSlots.SlotUse>(Wait));
        }, Wait);

        // Resume: the shard is woken again; the target replays its start and runs the step that was cancelled.
        await _store.SetCensusStateAsync(census, CensusState.Running);
        _discover.Open();
        StartEntity(shard, slots);
        ExpectMsg<Passivate>(Wait);
        Assert.Equal(0, Assert.Single(await _store.GetProgressAsync(census)).TargetsRemaining);
        var journal = await _store.ReadJournalAsync(0, 1000, census);
        Assert.Single(journal, e => e.Event.Type == TargetScanStarted.TypeName);
        Assert.Single(journal, e => e.Event.Type == TargetScanCompleted.TypeName);
    }

    [Fact]
    public async Task CancelShard_stopsTheTargetInFlightAtOnce_recordsItFailedAsCancelled_andPassivates()
    {
        var (census, shard) = await PlanAsync("a.example");
        var slots = Sys.ActorOf(TargetSlots.Props(1));
        var entity = StartEntity(shard, slots);
        await _discover.Entered.WaitAsync(Wait);

        await _store.SetCensusStateAsync(census, CensusState.Cancelled);
        entity.Tell(new CancelShard(shard));
        ExpectMsg<Passivate>(Wait);
        var progress = Assert.Single(await _store.GetProgressAsync(census));
        Assert.Equal((0, 1, 0), (progress.TargetsDone, progress.TargetsFailed, progress.TargetsRemaining));
        var completed = Assert.Single(await _store.ReadJournalAsync(0, 1000, census), e => e.Event.Type == DomainScanCompleted.TypeName);
        Assert.Contains("cancelled by the operator", completed.Event.Payload.GetRawText(), StringComparison.Ordinal);
        AwaitAssert(() =>
        {
            slots.Tell(new TargetSlots.GetSlotUse());
            Assert.Equal(new TargetSlots.SlotUse(0, 0), ExpectMsg<TargetSlots.SlotUse>(Wait));
        }, Wait);
    }
}
