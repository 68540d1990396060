using System.Globalization;

namespace XmppScanCluster.Coordinator.Cluster;

/// <summary>A message the shard region routes to the address-shard entity <see cref="ShardId"/>.</summary>
public interface IShardMessage
{
    long ShardId { get; }
}

/// <summary>To an address-shard entity (by the region's feeder): look at your targets in the store and scan the
/// pending ones. Idempotent: an entity already at work only reloads its plan. Also how a resumed census restarts: its
/// open shards are woken again.</summary>
public sealed record WakeShard(long ShardId) : IShardMessage;

/// <summary>The operator paused the census (by the region's feeder): stop the targets in flight (the step running is
/// cancelled and runs again on resume; recorded steps replay), give back their slots, start nothing, passivate.</summary>
public sealed record PauseShard(long ShardId) : IShardMessage;

/// <summary>The operator cancelled the census (by the region's feeder): stop the targets in flight at once and record
/// each as failed with the reason <c>cancelled</c>; targets not started stay pending; passivate.</summary>
public sealed record CancelShard(long ShardId) : IShardMessage;

/// <summary>The operator rescanned a target of this shard (by the region's feeder, which sees the target pending again
/// under a newer scan <paramref name="Generation"/>): the entity applies it at once, whatever else it is doing. A target
/// waiting for a slot takes the new generation; one in flight is stopped and started again under it
/// (AddressShardEntity.Rescan.cs says why); a finished one is pending again and is started. Idempotent: a generation
/// the entity already runs is ignored.</summary>
public sealed record RescanTarget(long ShardId, Guid TargetId, int Generation) : IShardMessage;

/// <summary>The sharding entity id of a shard row: its number (the row is unique per census, region and key).</summary>
public static class ShardEntityIds
{
    public static string For(long shardId) => shardId.ToString(CultureInfo.InvariantCulture);

    public static bool TryParse(string entityId, out long shardId) =>
        long.TryParse(entityId, NumberStyles.None, CultureInfo.InvariantCulture, out shardId);
}
