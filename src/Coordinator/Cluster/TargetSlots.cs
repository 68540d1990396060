using Akka.Actor;

namespace XmppScanCluster.Coordinator.Cluster;

/// <summary>
/// The node's bound on targets in flight (<c>--targets-in-flight</c>), across every entity it hosts: entities ask for a
/// slot per target, get them first come first served, and give them back when the target is recorded. An entity that
/// stops (passivated, handed off to another node, crashed) gives back all it held and leaves the queue.
/// </summary>
public sealed class TargetSlots : ReceiveActor
{
    private readonly int _capacity;
    private readonly Dictionary<IActorRef, int> _held = [];
    private readonly LinkedList<(IActorRef Entity, Guid Target)> _waiting = new();
    private int _inUse;

    public TargetSlots(int capacity)
    {
        _capacity = Math.Max(1, capacity);
        Receive<RequestSlot>(r =>
        {
            Context.Watch(Sender);
            _waiting.AddLast((Sender, r.Target));
            Grant();
        });
        Receive<ReleaseSlot>(_ =>
        {
            if (_held.TryGetValue(Sender, out var n) && n > 0)
            {
                _held[Sender] = n - 1;
                _inUse--;
            }

            Grant();
        });
        Receive<Terminated>(t =>
        {
            if (_held.Remove(t.ActorRef, out var n))
            {
                _inUse -= n;
            }

            for (var node = _waiting.First; node is not null;)
            {
                var next = node.Next;
                if (node.Value.Entity.Equals(t.ActorRef))
                {
                    _waiting.Remove(node);
                }

                node = next;
            }

            Grant();
        });
        Receive<GetSlotUse>(_ => Sender.Tell(new SlotUse(_inUse, _waiting.Count)));
    }

    public static Props Props(int capacity) => Akka.Actor.Props.Create(() => new TargetSlots(capacity));

    private void Grant()
    {
        while (_inUse < _capacity && _waiting.First is { } first)
        {
            _waiting.RemoveFirst();
            _held[first.Value.Entity] = _held.GetValueOrDefault(first.Value.Entity) + 1;
            _inUse++;
            first.Value.Entity.Tell(new SlotGranted(first.Value.Target));
        }
    }

    public sealed record RequestSlot(Guid Target);

    public sealed record SlotGranted(Guid Target);

    public sealed record ReleaseSlot(Guid Target);

    public sealed record GetSlotUse;

    public sealed record SlotUse(int InUse, int Waiting);
}
