using Akka.Actor;

namespace XmppScanCluster.Coordinator.Cluster;

/// <summary>
/// The node's side of the address gates (one per node, <c>/user/permit-client</c>): sends a waiting connection's
/// <see cref="AcquirePermit"/> through the shard region, resends it until answered (a gate handed to another node, or a
/// node that died with the request, loses it; the gate ignores a duplicate), completes the waiter on
/// <see cref="PermitGranted"/>, reports the connection's start (<see cref="ConnectionStarted"/>), and gives back a grant
/// nobody waits for any more. The gates watch this actor: when the
/// node goes, its permits are freed.
/// </summary>
public sealed class PermitClient : ReceiveActor, IWithTimers
{
    /// <summary>How long an unanswered request waits before it is sent again.</summary>
    public static readonly TimeSpan ResendAfter = TimeSpan.FromSeconds(10);

    private readonly IActorRef _gates;
    private readonly Dictionary<long, (AcquirePermit Request, TaskCompletionSource<DateTimeOffset> Granted)> _waiting = [];

    public PermitClient(IActorRef gates)
    {
        _gates = gates;
        Receive<Request>(r =>
        {
            _waiting[r.Acquire.RequestId] = (r.Acquire, r.Granted);
            _gates.Tell(r.Acquire);
            Timers.StartPeriodicTimer(("resend", r.Acquire.RequestId), new Resend(r.Acquire.RequestId), ResendAfter);
        });
        Receive<Resend>(r =>
        {
            if (_waiting.TryGetValue(r.RequestId, out var w))
            {
                _gates.Tell(w.Request);
            }
            else
            {
                Timers.Cancel(("resend", r.RequestId));
            }
        });
        Receive<PermitGranted>(g =>
        {
            Timers.Cancel(("resend", g.Request.RequestId));
            if (!_waiting.Remove(g.Request.RequestId, out var w) || !w.Granted.TrySetResult(g.GrantedAt))
            {
                // Given up while the grant travelled: give it back.
                Sender.Tell(Release(g.Request));
            }
        });
        Receive<Done>(d =>
        {
            Timers.Cancel(("resend", d.Acquire.RequestId));
            if (_waiting.Remove(d.Acquire.RequestId, out var w))
            {
                w.Granted.TrySetCanceled();
            }

            _gates.Tell(Release(d.Acquire));
        });
        Receive<Started>(s => _gates.Tell(new ConnectionStarted(s.Acquire.CensusId, s.Acquire.Address, s.Acquire.Owner, s.Acquire.RequestId)));
        Receive<BackOffAddress>(b => _gates.Tell(b));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef gates) => Akka.Actor.Props.Create(() => new PermitClient(gates));

    private static ReleasePermit Release(AcquirePermit a) => new(a.CensusId, a.Address, a.Owner, a.RequestId);

    /// <summary>A connection waits for a permit of the gate <see cref="Acquire"/> names.</summary>
    public sealed record Request(AcquirePermit Acquire, TaskCompletionSource<DateTimeOffset> Granted);

    /// <summary>The granted connection's SYN is out: tell the gate, which counts the spacing from then.</summary>
    public sealed record Started(AcquirePermit Acquire);

    /// <summary>The connection closed, or its wait was given up: release at the gate.</summary>
    public sealed record Done(AcquirePermit Acquire);

    private sealed record Resend(long RequestId);
}
