using Akka.Actor;
using XmppScanCluster.Coordinator.Store;

namespace XmppScanCluster.Coordinator.Cluster;

/// <summary>
/// The operator's rescan as a message (<see cref="RescanTarget"/>, sent by the region's feeder when it sees a target
/// pending again under a newer scan generation; also applied when a reloaded plan shows the newer generation). Applied
/// at once, not after the entity's next recorded target: a full-depth shard can be busy for many minutes.
/// <para>
/// A target in flight is <b>restarted</b> under the new generation (its child stopped, the step running cancelled, a new
/// child started in the same slot on the generation's fresh stream), not continued: an operator rescans a domain to see
/// the server as it is now, typically after changing its certificate or TLS settings, so no step recorded before the
/// command may end up in the new result. The old generation's stream is left unfinished: it never produced a result,
/// and the aggregator only reads completed scans. The cost is the steps of one target run again.
/// </para>
/// </summary>
public sealed partial class AddressShardEntity
{
    private void OnRescan(RescanTarget rescan)
    {
        if (_work.TryGetValue(rescan.TargetId, out var work))
        {
            Rescan(work, rescan.Generation);
        }
        else
        {
            // Finished (now pending again) or not read yet: the plan has the target and its generation.
            Load();
        }
    }

    private void Rescan(Work work, int generation)
    {
        if (generation <= work.Generation || work.Recording || work.Stopping)
        {
            // Already at it; or its old generation is being recorded (the store refuses it: the reload after the record
            // starts the new one); or it is being given up by a cancel (a cancelled census is not rescanned).
            return;
        }

        work.Generation = generation;
        work.AbandonReason = null;
        _errors.Remove(work.TargetId);
        if (work.Child is not { } child)
        {
            // Waiting for a slot (or for a retry): it starts under the new generation.
            return;
        }

        // Stopped without a reply to handle: its TargetStopped is ignored once it is no longer a known child.
        _children.Remove(child);
        Context.Stop(child);
        work.Child = null;
        _node.Log($"shard {_shardId}: {work.Domain} rescanned, the scan in flight restarts as generation {generation}");
        if (_plan is { Census: { State: CensusState.Running } census, Shard: { } shard })
        {
            StartChild(work, census, shard);
            return;
        }

        _work.Remove(work.TargetId);
        _slots.Tell(new TargetSlots.ReleaseSlot(work.TargetId));
        PassivateIfIdle();
    }
}
