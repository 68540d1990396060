using System.Text.Json;

namespace XmppScanCluster.Shared.Events;

/// <summary>A census was created: its name, grading policy, regions and scan settings (census stream).</summary>
/// <remarks><c>Settings</c>: The scan settings as JSON, opaque to the store.</remarks>
public sealed record CensusCreated(string Name, string GradingPolicy, IReadOnlyList<string> Regions, JsonElement? Settings)
    : IEventPayload
{
    public static string TypeName => "census_created";
    public static int SchemaVersion => 1;
}

/// <summary>A target was assigned to a shard in a region (target stream).</summary>
/// <remarks><c>ShardKey</c>: The shard's key: an IP or a /24 (/48 for IPv6), or <c>unresolved/N</c>.</remarks>
/// <remarks><c>Addresses</c>: The endpoint addresses the assignment was computed from.</remarks>
public sealed record TargetPlanned(string Domain, string Region, string ShardKey, IReadOnlyList<string> Addresses)
    : IEventPayload
{
    public static string TypeName => "target_planned";
    public static int SchemaVersion => 1;
}

/// <summary>A node leased a shard until <see cref="ExpiresAt"/> (census stream; an audit fact, the lease itself lives in the store).</summary>
/// <remarks><c>LeaseToken</c>: Fencing token: grows with every grant of the shard.</remarks>
public sealed record ShardLeased(long ShardId, string ShardKey, long LeaseToken, DateTimeOffset ExpiresAt) : IEventPayload
{
    public static string TypeName => "shard_leased";
    public static int SchemaVersion => 1;
}
