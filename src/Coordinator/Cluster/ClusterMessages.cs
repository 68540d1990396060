using System.Globalization;

namespace XmppScanCluster.Coordinator.Cluster;

/// <summary>To an address-shard entity (by the region's feeder): look at your targets in the store and scan the
/// pending ones. Idempotent: an entity already at work only reloads its plan (a rescan's new generation).</summary>
public sealed record WakeShard(long ShardId);

/// <summary>The sharding entity id of a shard row: its number (the row is unique per census, region and key).</summary>
public static class ShardEntityIds
{
    public static string For(long shardId) => shardId.ToString(CultureInfo.InvariantCulture);

    public static bool TryParse(string entityId, out long shardId) =>
        long.TryParse(entityId, NumberStyles.None, CultureInfo.InvariantCulture, out shardId);
}
