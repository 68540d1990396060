using Akka.Actor;

namespace XmppScanCluster.Coordinator.Cluster;

/// <summary>
/// Tells the node's <see cref="TargetSlots"/> when the node falls behind, so the ramping window stops growing and halves.
/// The measure is how late its own timer message is handled: every <see cref="Interval"/> it arms a timer and, when the
/// message is processed, compares the clock with when it was due. The message waits behind everything the node has queued
/// (the thread pool the actors and the scan steps share, the CPU the other processes leave it), so a target of the busiest
/// address waits that long too between its connections: when the lag exceeds <see cref="Limit"/> the node is not keeping
/// up. Clock and scheduler are the node's (<see cref="NodeRuntime.Time"/>, Akka's timers): tests drive both.
/// </summary>
public sealed class NodeLagProbe : ReceiveActor, IWithTimers
{
    /// <summary>Between two measurements.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    /// <summary>A timer handled later than this behind its due time means the node is behind. Far above the scheduler's
    /// 10 ms tick and a young-generation GC pause; well below the 0.5 s a target may be away from its address's gate
    /// (<see cref="ScanNode.Node.InFlightSizing.AwayFromGate"/>).</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromMilliseconds(100);

    private readonly IActorRef _slots;
    private readonly TimeProvider _time;
    private DateTimeOffset _due;

    public NodeLagProbe(IActorRef slots, TimeProvider time)
    {
        _slots = slots;
        _time = time;
        Receive<Tick>(_ =>
        {
            var lag = _time.GetUtcNow() - _due;
            if (lag > Limit)
            {
                _slots.Tell(new TargetSlots.NodeBehind(lag));
            }

            Arm();
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef slots, TimeProvider time) => Akka.Actor.Props.Create(() => new NodeLagProbe(slots, time));

    protected override void PreStart() => Arm();

    private void Arm()
    {
        _due = _time.GetUtcNow() + Interval;
        Timers.StartSingleTimer("tick", Tick.Instance, Interval);
    }

    private sealed record Tick
    {
        public static Tick Instance { get; } = new();
    }
}
