using Akka.Actor;
using Akka.Cluster.Sharding;
using XmppScanCluster.Coordinator.Cluster;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Coordinator.Tests.Support;
using XmppScanCluster.Shared.Events;

namespace XmppScanCluster.Coordinator.Tests.Cluster;

/// <summary>The operator's rescan as the message the region's feeder sends (or as the plan shows it): applied at once by
/// a busy entity. The first target is held in its discover step, so an entity that waited for it to be recorded before
/// taking the new generation would never go on.</summary>
public sealed partial class AddressShardEntityTests
{
    [Fact]
    public async Task RescanTarget_ofTheTargetInFlight_restartsItAtOnceUnderTheNewGeneration_andOnlyThatOneCompletes()
    {
        var (census, shard) = await PlanAsync("a.example");
        var slots = Sys.ActorOf(TargetSlots.Props(1));
        var entity = StartEntity(shard, slots);
        await _discover.Entered.WaitAsync(Wait);

        var target = Assert.Single(await _store.GetShardTargetsAsync(shard));
        Assert.Equal(new RescanResult(RescanOutcome.Queued, 1), await _store.RescanTargetAsync(census, "a.example"));
        entity.Tell(new RescanTarget(shard, target.TargetId, 1));

        await AssertRestartedThenCompletesAsync(census, shard, target.TargetId, slots);
    }

    [Fact]
    public async Task RescanSeenOnlyInThePlan_aWokenEntityRestartsTheTargetInFlightToo()
    {
        var (census, shard) = await PlanAsync("a.example");
        var slots = Sys.ActorOf(TargetSlots.Props(1));
        var entity = StartEntity(shard, slots);
        await _discover.Entered.WaitAsync(Wait);

        var target = Assert.Single(await _store.GetShardTargetsAsync(shard));
        await _store.RescanTargetAsync(census, "a.example");
        entity.Tell(new WakeShard(shard));

        await AssertRestartedThenCompletesAsync(census, shard, target.TargetId, slots);
    }

    [Fact]
    public async Task RescanTarget_ofAFinishedTarget_whileAnotherIsInFlight_scansItAgainWithoutWaitingForTheOther()
    {
        var (census, shard) = await PlanAsync("a.example", "b.example");
        _discover.Through("b.example");
        var entity = StartEntity(shard, Sys.ActorOf(TargetSlots.Props(2)));
        var b = (await _store.GetShardTargetsAsync(shard)).Single(t => t.Domain == "b.example").TargetId;
        await AwaitAssertAsync(async () => Assert.Equal(1, Assert.Single(await _store.GetProgressAsync(census)).TargetsDone), Wait);

        Assert.Equal(new RescanResult(RescanOutcome.Queued, 1), await _store.RescanTargetAsync(census, "b.example"));
        entity.Tell(new RescanTarget(shard, b, 1));

        // a.example is still held in discovery: b.example's second generation ran anyway.
        await AwaitAssertAsync(async () => Assert.Single(await _store.ReadAllAsync(census),
            e => e.TargetId == TargetStreams.For(b, "eu", 1) && e.Type == TargetScanCompleted.TypeName), Wait);
        _discover.Open();
        ExpectMsg<Passivate>(Wait);
        Assert.Equal((2, 0), (Assert.Single(await _store.GetProgressAsync(census)).TargetsDone, _discover.Cancelled));
    }

    /// <summary>Discovery entered a second time (the new generation) although it was never let through: the first run
    /// was stopped. Then it is let through: only the new generation completes, in its own stream.</summary>
    private async Task AssertRestartedThenCompletesAsync(Guid census, long shard, Guid target, IActorRef slots)
    {
        await _discover.EnteredTwice.WaitAsync(Wait);
        await AwaitAssertAsync(() => Assert.Equal(1, _discover.Cancelled), Wait);
        _discover.Open();
        ExpectMsg<Passivate>(Wait);

        var journal = await _store.ReadAllAsync(census);
        Assert.Contains(journal, e => e.TargetId == TargetStreams.For(target, "eu", 0) && e.Type == TargetScanStarted.TypeName);
        Assert.DoesNotContain(journal, e => e.TargetId == TargetStreams.For(target, "eu", 0) && e.Type == TargetScanCompleted.TypeName);
        Assert.Single(journal, e => e.TargetId == TargetStreams.For(target, "eu", 1) && e.Type == TargetScanCompleted.TypeName);
        Assert.Single(journal, e => e.Type == DomainScanCompleted.TypeName);
        var after = Assert.Single(await _store.GetShardTargetsAsync(shard));
        Assert.Equal((TargetStatus.Done, 1), (after.Status, after.Generation));
        Assert.True((await _store.GetShardAsync(shard))!.Done);
        AwaitAssert(() =>
        {
            slots.Tell(new TargetSlots.GetSlotUse());
            Assert.Equal(new TargetSlots.SlotUse(0, 0), ExpectMsg<TargetSlots.SlotUse>(Wait));
        }, Wait);
    }
}
