using System.Globalization;
using Akka.Actor;
using XmppScanCluster.ScanNode.Node;

namespace XmppScanCluster.Coordinator.Cluster;

/// <summary>
/// The node's bound on targets in flight (<c>--targets-in-flight</c>), across every entity it hosts, handed out so the
/// census follows its critical path (bench/federation): a polite census can end no sooner than its busiest address's
/// connections × spacing, so that address must start first and never idle, and a slot is worth nothing to an address
/// whose gate already has targets waiting. Entities ask for a slot per pending target, each request carrying the
/// entity's lanes (<see cref="InFlightSizing.Lanes"/>); a free slot goes to the entity with the most targets not yet
/// finished (waiting and held: its address's remaining work, longest first) among those holding fewer than their lanes,
/// the earliest-asking entity on a tie, its targets in the order asked. Slots come back when a target is recorded; an
/// entity that stops (passivated, handed off, crashed) gives back all it held and leaves the queue.
/// <para>
/// How many slots may be in use is a <see cref="SlotWindow"/>: the operator's bound, or the memory-sized default reached
/// by a ramp that grows as targets finish and halves when the node falls behind (<see cref="NodeBehind"/>, from
/// <see cref="NodeLagProbe"/>), so a census no longer starts every target at once. The critical path is never starved by
/// the window: the entity with the most targets left (the busiest address) always gets its lanes, up to the node's bound.
/// </para>
/// </summary>
public sealed class TargetSlots : ReceiveActor
{
    private readonly SlotWindow _window;
    private readonly Action<string>? _log;
    private readonly Dictionary<IActorRef, Entity> _entities = [];
    private long _arrivals;
    private int _inUse;
    private int _waiting;
    private int _peak;

    /// <param name="window">How many may be in flight on the node (fixed, or a ramp).</param>
    /// <param name="log">Told on stop how many were in flight at most (bench/federation reads it).</param>
    public TargetSlots(SlotWindow window, Action<string>? log = null)
    {
        _window = window;
        _log = log;
        Receive<RequestSlot>(r =>
        {
            if (!_entities.TryGetValue(Sender, out var entity))
            {
                Context.Watch(Sender);
                _entities[Sender] = entity = new Entity(_arrivals++);
            }

            entity.Lanes = Math.Max(1, r.Lanes);
            entity.Waiting.AddLast(r.Target);
            _waiting++;
            Grant();
        });
        Receive<ReleaseSlot>(_ =>
        {
            if (_entities.TryGetValue(Sender, out var entity) && entity.Held > 0)
            {
                _window.Finished(windowWasFull: _inUse >= _window.Limit);
                entity.Held--;
                _inUse--;
            }

            Grant();
        });
        Receive<NodeBehind>(behind =>
        {
            if (_window.Behind())
            {
                _log?.Invoke(string.Create(CultureInfo.InvariantCulture,
                    $"target slots: node behind by {behind.Lag.TotalMilliseconds:0} ms with {_inUse} in flight, window halved to {_window.Limit}"));
            }
        });
        Receive<Terminated>(t =>
        {
            if (_entities.Remove(t.ActorRef, out var entity))
            {
                _inUse -= entity.Held;
                _waiting -= entity.Waiting.Count;
            }

            Grant();
        });
        Receive<GetSlotUse>(_ => Sender.Tell(new SlotUse(_inUse, _waiting)));
        Receive<GetWindow>(_ => Sender.Tell(new Window(_window.Limit, _window.Cuts)));
    }

    /// <summary>At most <paramref name="capacity"/> in flight, all usable at once (<c>--targets-in-flight N</c>).</summary>
    public static Props Props(int capacity, Action<string>? log = null) => Props(SlotWindow.Fixed(capacity), log);

    public static Props Props(SlotWindow window, Action<string>? log = null) => Akka.Actor.Props.Create(() => new TargetSlots(window, log));

    protected override void PostStop() => _log?.Invoke($"target slots: at most {_peak} of {_window.Max} targets in flight"
        + (_window.Ramps ? $" (a ramp from {_window.Start}: window at most {_window.Peak}, {_window.Limit} at the end, halved {_window.Cuts} times)" : ""));

    private void Grant()
    {
        while (_inUse < _window.Max && Next() is var (actor, entity) && actor is not null
            && (_inUse < _window.Limit || IsCriticalPath(entity)))
        {
            var target = entity.Waiting.First!.Value;
            entity.Waiting.RemoveFirst();
            _waiting--;
            entity.Held++;
            _inUse++;
            _peak = Math.Max(_peak, _inUse);
            actor.Tell(new SlotGranted(target));
        }
    }

    /// <summary>The entity the next slot goes to: under its lanes, the most remaining work, the earliest on a tie.</summary>
    private (IActorRef? Actor, Entity Entity) Next()
    {
        (IActorRef? Actor, Entity Entity) best = (null, null!);
        foreach (var (actor, entity) in _entities)
        {
            if (entity.Waiting.Count == 0 || entity.Held >= entity.Lanes)
            {
                continue;
            }

            if (best.Actor is null || entity.Remaining > best.Entity.Remaining
                || (entity.Remaining == best.Entity.Remaining && entity.Arrival < best.Entity.Arrival))
            {
                best = (actor, entity);
            }
        }

        return best;
    }

    /// <summary>The entity with the most targets left (the earliest on a tie) is the critical path: the window never holds
    /// it back.</summary>
    private bool IsCriticalPath(Entity candidate)
    {
        foreach (var entity in _entities.Values)
        {
            if (entity.Remaining > candidate.Remaining || (entity.Remaining == candidate.Remaining && entity.Arrival < candidate.Arrival))
            {
                return false;
            }
        }

        return true;
    }

    private sealed class Entity(long arrival)
    {
        public long Arrival { get; } = arrival;

        public LinkedList<Guid> Waiting { get; } = new();

        public int Held { get; set; }

        public int Lanes { get; set; } = int.MaxValue;

        public int Remaining => Waiting.Count + Held;
    }

    /// <summary>A slot for <paramref name="Target"/>; the asking entity holds at most <paramref name="Lanes"/> at once.</summary>
    public sealed record RequestSlot(Guid Target, int Lanes = int.MaxValue);

    public sealed record SlotGranted(Guid Target);

    public sealed record ReleaseSlot(Guid Target);

    public sealed record GetSlotUse;

    public sealed record SlotUse(int InUse, int Waiting);

    /// <summary>From <see cref="NodeLagProbe"/>: the node's scheduling lagged by <paramref name="Lag"/>.</summary>
    public sealed record NodeBehind(TimeSpan Lag);

    public sealed record GetWindow;

    /// <summary>Slots the window allows now, and how often it was halved.</summary>
    public sealed record Window(int Limit, int Cuts);
}
