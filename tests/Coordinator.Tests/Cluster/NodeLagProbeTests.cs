using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using Microsoft.Extensions.Time.Testing;
using XmppScanCluster.Coordinator.Cluster;

namespace XmppScanCluster.Coordinator.Tests.Cluster;

/// <summary>
/// The node's lag probe, on Akka's TestScheduler and a <see cref="FakeTimeProvider"/>: how late its timer is handled is
/// the virtual clock's difference, so "behind" is decided without any real time passing.
/// </summary>
public sealed class NodeLagProbeTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    public NodeLagProbeTests()
        : base(ConfigurationFactory.ParseString("akka.scheduler.implementation = \"Akka.TestKit.TestScheduler, Akka.TestKit\""), "lag-tests")
    {
    }

    [Fact]
    public async Task TimerHandledOnTime_saysNothing_handledLate_tellsTheSlotsHowLate()
    {
        var time = new FakeTimeProvider();
        var slots = CreateTestProbe();
        var probe = Sys.ActorOf(NodeLagProbe.Props(slots.Ref, time));
        var scheduler = (TestScheduler)Sys.Scheduler;
        await probe.Ask<ActorIdentity>(new Identify(null), Wait);

        // On time: the clock has moved exactly the interval when the timer is handled.
        time.Advance(NodeLagProbe.Interval);
        scheduler.Advance(NodeLagProbe.Interval);
        await probe.Ask<ActorIdentity>(new Identify(null), Wait);

        // Within the limit: still nothing.
        time.Advance(NodeLagProbe.Interval + NodeLagProbe.Limit);
        scheduler.Advance(NodeLagProbe.Interval);
        await probe.Ask<ActorIdentity>(new Identify(null), Wait);

        // Handled 400 ms after it was due (the node's queue kept it waiting): behind, by exactly that. Had either earlier
        // tick told the slots, the first message would carry its lag (0 or 100 ms), not 400 ms.
        time.Advance(NodeLagProbe.Interval + TimeSpan.FromMilliseconds(400));
        scheduler.Advance(NodeLagProbe.Interval);
        Assert.Equal(TimeSpan.FromMilliseconds(400), slots.ExpectMsg<TargetSlots.NodeBehind>(Wait).Lag);
    }
}
