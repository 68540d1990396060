using Akka.Actor;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.Coordinator.Cluster;

/// <summary>
/// The operator's pause and cancel as messages (<see cref="PauseShard"/>, <see cref="CancelShard"/>, sent by the
/// region's feeder when it sees the census's state change; also applied when a reloaded plan shows that state). Both stop
/// the targets in flight at once instead of letting them run to their end: a full-depth target makes 50–160 connections
/// per endpoint, which a paused or cancelled census must not go on making. A paused target's step in flight is
/// cancelled and not recorded, so on resume the target replays its recorded steps and runs that step again; a cancelled
/// one is given up (<c>AbandonTargetScan</c>: a failed result with the reason <c>cancelled</c>) and recorded failed.
/// </summary>
public sealed partial class AddressShardEntity
{
    private static readonly ProbeFailure CancelledByOperator = new(FailureKind.Cancelled, "census cancelled by the operator");

    private long _haltedAtLoad;

    private void Halt(bool cancel)
    {
        // Plans being read now may predate the command: only a later read can start targets again (a resume).
        _haltedAtLoad = _loads;
        var stopped = 0;
        foreach (var work in _work.Values.ToList())
        {
            if (work.Recording || work.Stopping || (cancel && work.AbandonReason is not null && work.Child is not null))
            {
                // Being recorded, already stopping, or already being given up: it finishes on its own.
                continue;
            }

            if (work.Child is not { } child)
            {
                // Waiting for a slot: dropped (a late grant is given back in OnGranted).
                _work.Remove(work.TargetId);
                continue;
            }

            stopped++;
            Context.Stop(child);
            if (cancel)
            {
                work.AbandonReason = CancelledByOperator;
                work.Stopping = true;
                continue;
            }

            _children.Remove(child);
            _work.Remove(work.TargetId);
            _slots.Tell(new TargetSlots.ReleaseSlot(work.TargetId));
        }

        if (stopped > 0)
        {
            _node.Log($"shard {_shardId}: census {(cancel ? "cancelled" : "paused")}, {stopped} target(s) in flight stopped");
        }

        PassivateIfIdle();
    }
}
