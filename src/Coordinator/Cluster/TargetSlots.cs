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
/// </summary>
public sealed class TargetSlots : ReceiveActor
{
    private readonly int _capacity;
    private readonly Action<string>? _log;
    private readonly Dictionary<IActorRef, Entity> _entities = [];
    private long _arrivals;
    private int _inUse;
    private int _waiting;
    private int _peak;

    /// <param name="capacity">Targets in flight on the node at most.</param>
    /// <param name="log">Told on stop how many were in flight at most (bench/federation reads it).</param>
    public TargetSlots(int capacity, Action<string>? log = null)
    {
        _capacity = Math.Max(1, capacity);
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
                entity.Held--;
                _inUse--;
            }

            Grant();
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
    }

    public static Props Props(int capacity, Action<string>? log = null) => Akka.Actor.Props.Create(() => new TargetSlots(capacity, log));

    protected override void PostStop() => _log?.Invoke($"target slots: at most {_peak} of {_capacity} targets in flight");

    private void Grant()
    {
        while (_inUse < _capacity && Next() is var (actor, entity) && actor is not null)
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
}
