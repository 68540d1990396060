using System.Net;
using Akka.Actor;
using Akka.Cluster.Sharding;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.ScanNode.Node;

namespace XmppScanCluster.Coordinator.Cluster;

/// <summary>
/// The gate of one address in one census of this region (entity id <see cref="GateEntityIds"/>): the permits for
/// connections to an address a node's DNS gave but the connecting entity's plan does not hold come from here, from the
/// census's <see cref="PerIpLimiter"/> of the node hosting the gate (the spacing counted from the arrival of the requester's
/// <see cref="ConnectionStarted"/>), so the same limit, spacing and back-off apply as to
/// an owned address, once per region cluster. The gate of an address another shard owns sits in that shard's Akka shard
/// (<see cref="ScanClusterNode"/>'s message extractor), so the owner's own connections and the gate's share one limiter.
/// A permit is held per requesting node's <see cref="PermitClient"/> and request id; it is freed when released, when the
/// requester's node leaves (DeathWatch), or after <see cref="MaxHold"/> (a connection is bounded far below that).
/// </summary>
public sealed class AddressGateEntity : ReceiveActor, IWithTimers, IWithUnboundedStash
{
    /// <summary>Longest a permit is held without a release: a lost release must not close the address for good.</summary>
    public static readonly TimeSpan MaxHold = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan IdleAfter = TimeSpan.FromMinutes(2);

    private readonly Guid _censusId;
    private readonly IPAddress _address;
    private readonly long? _owner;
    private readonly NodeRuntime _node;
    private readonly Dictionary<(IActorRef, long), CancellationTokenSource> _waiting = [];
    private readonly Dictionary<(IActorRef, long), PerIpLimiter.Grant> _held = [];
    private PerIpLimiter? _limiter;
    private long _granted;

    public AddressGateEntity(Guid censusId, IPAddress address, long? owner, NodeRuntime node)
    {
        _censusId = censusId;
        _address = address;
        _owner = owner;
        _node = node;
        Receive<Loaded>(OnLoaded);
        Receive<Status.Failure>(f =>
        {
            _node.Log($"gate {Name}: census not readable, retrying: {f.Cause.Message}");
            Timers.StartSingleTimer("load", Load.Instance, TimeSpan.FromSeconds(5));
        });
        Receive<Load>(_ => StartLoad());
        ReceiveAny(_ => Stash.Stash());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public IStash Stash { get; set; } = null!;

    private string Name => GateEntityIds.For(_censusId, GateEntityIds.Text(_address), _owner);

    public static Props Props(string entityId, NodeRuntime node) =>
        GateEntityIds.TryParse(entityId, out var census, out var address, out var owner)
            ? Akka.Actor.Props.Create(() => new AddressGateEntity(census, address, owner, node))
            : throw new ArgumentException($"'{entityId}' is not an address gate id", nameof(entityId));

    protected override void PreStart() => StartLoad();

    protected override void PostStop()
    {
        foreach (var cts in _waiting.Values)
        {
            cts.Cancel();
            cts.Dispose();
        }

        foreach (var grant in _held.Values)
        {
            grant.Dispose();
        }
    }

    private void StartLoad() =>
        _node.Store.GetCensusAsync(_censusId).PipeTo(Self, success: c => new Loaded(c));

    private void OnLoaded(Loaded loaded)
    {
        if (loaded.Census is null || _node.ContextFor(loaded.Census).Limiter is not { } limiter)
        {
            _node.Log($"gate {Name}: census not in the store (or no limiter): stopping");
            Context.Parent.Tell(new Passivate(PoisonPill.Instance));
            Become(() => ReceiveAny(_ => { }));
            return;
        }

        _limiter = limiter;
        Become(Open);
        Stash.UnstashAll();
        Context.SetReceiveTimeout(IdleAfter);
    }

    private void Open()
    {
        Receive<AcquirePermit>(OnAcquire);
        Receive<Entered>(OnEntered);
        Receive<EnterFailed>(f =>
        {
            if (_waiting.Remove(f.Key, out var cts))
            {
                cts.Dispose();
            }
        });
        Receive<ConnectionStarted>(c =>
        {
            if (_held.TryGetValue((Sender, c.RequestId), out var grant))
            {
                grant.Started();
            }
        });
        Receive<ReleasePermit>(r => Release((Sender, r.RequestId)));
        Receive<LeaseExpired>(e =>
        {
            if (_held.ContainsKey(e.Key))
            {
                _node.Log($"gate {Name}: permit {e.Key.Item2} of {e.Key.Item1.Path} held {MaxHold}, freed");
                Release(e.Key);
            }
        });
        Receive<BackOffAddress>(b => _limiter!.BackOff(_address, b.Wait));
        Receive<Terminated>(t =>
        {
            foreach (var key in _waiting.Keys.Concat(_held.Keys).Where(k => k.Item1.Equals(t.ActorRef)).ToList())
            {
                Release(key);
            }
        });
        Receive<ReceiveTimeout>(_ =>
        {
            if (_waiting.Count == 0 && _held.Count == 0)
            {
                Context.Parent.Tell(new Passivate(PoisonPill.Instance));
            }
        });
    }

    private void OnAcquire(AcquirePermit acquire)
    {
        var key = (Sender, acquire.RequestId);
        if (_held.TryGetValue(key, out var grant))
        {
            // A resend whose answer was lost: answer again, nothing more is taken.
            Sender.Tell(new PermitGranted(acquire, grant.GrantedAt));
            return;
        }

        if (_waiting.ContainsKey(key))
        {
            return;
        }

        Context.Watch(Sender);
        var cts = new CancellationTokenSource();
        _waiting[key] = cts;
        _limiter!.EnterAsync(_address, cts.Token).AsTask()
            .PipeTo(Self, success: g => new Entered(key, acquire, g), failure: _ => new EnterFailed(key));
    }

    private void OnEntered(Entered entered)
    {
        if (!_waiting.Remove(entered.Key, out var cts))
        {
            // Released (given up) while it waited.
            entered.Grant.Dispose();
            return;
        }

        cts.Dispose();
        _held[entered.Key] = entered.Grant;
        Timers.StartSingleTimer(("lease", entered.Key), new LeaseExpired(entered.Key), MaxHold);
        if (_granted++ == 0)
        {
            // The fact an operator wants once per gate: this address was not (or not only) where the plan put it.
            _node.Log(_owner is { } owner
                ? $"gate {Name}: {_address} belongs to shard {owner}; granting to another entity whose DNS gave it"
                : $"gate {Name}: {_address} is not in the plan (a region's DNS gave it); one gate for the region");
        }

        entered.Key.Item1.Tell(new PermitGranted(entered.Request, entered.Grant.GrantedAt));
    }

    private void Release((IActorRef, long) key)
    {
        if (_waiting.Remove(key, out var cts))
        {
            cts.Cancel();
            cts.Dispose();
        }

        if (_held.Remove(key, out var grant))
        {
            grant.Dispose();
            Timers.Cancel(("lease", key));
        }
    }

    private sealed record Loaded(CensusInfo? Census);

    private sealed record Load
    {
        public static Load Instance { get; } = new();
    }

    private sealed record Entered((IActorRef, long) Key, AcquirePermit Request, PerIpLimiter.Grant Grant);

    private sealed record EnterFailed((IActorRef, long) Key);

    private sealed record LeaseExpired((IActorRef, long) Key);
}
