using System.Net;

namespace XmppScanCluster.Coordinator.Store;

/// <summary>What a census is: a unique name, the scan settings (JSON, opaque here), the grading policy and regions.</summary>
public sealed record CensusDefinition(string Name, string SettingsJson, string GradingPolicy, IReadOnlyList<string> Regions);

/// <summary>A stored census.</summary>
public sealed record CensusInfo(
    Guid CensusId,
    string Name,
    string SettingsJson,
    string GradingPolicy,
    IReadOnlyList<string> Regions,
    CensusState State,
    DateTimeOffset CreatedAt);

/// <summary>The census life cycle; only <see cref="Running"/> censuses have targets started.</summary>
public enum CensusState
{
    Running,
    Paused,
    Cancelled,
    Completed,
}

/// <summary>The allowed state changes and their stored names.</summary>
public static class CensusStates
{
    /// <summary>Pause/resume between running and paused; cancel or complete from either; nothing leaves cancelled or completed.</summary>
    public static bool CanMove(CensusState from, CensusState to) => (from, to) switch
    {
        _ when from == to => true,
        (CensusState.Running or CensusState.Paused, _) => true,
        _ => false,
    };

    public static string Name(this CensusState state) => state switch
    {
        CensusState.Running => "running",
        CensusState.Paused => "paused",
        CensusState.Cancelled => "cancelled",
        _ => "completed",
    };

    public static CensusState Parse(string name) => name switch
    {
        "running" => CensusState.Running,
        "paused" => CensusState.Paused,
        "cancelled" => CensusState.Cancelled,
        "completed" => CensusState.Completed,
        _ => throw new InvalidDataException($"unknown census state '{name}'"),
    };
}

/// <summary>A target (service domain) of a census.</summary>
public sealed record TargetRef(Guid TargetId, string Domain);

/// <summary>The outcome of adding domains: the new targets and the domains that were already there (or repeated).</summary>
public sealed record AddTargetsResult(IReadOnlyList<TargetRef> Added, IReadOnlyList<string> Duplicates);

/// <summary>A target and the endpoint addresses its DNS discovery found (empty when it did not resolve).</summary>
public sealed record TargetEndpoints(Guid TargetId, IReadOnlyList<IPAddress> Addresses);

/// <summary>What planning's discovery found for a target in one mode (<c>c2s</c> or <c>s2s</c>), usable until
/// <c>ValidUntil</c> (planning time + the answers' shortest TTL). <c>Result</c> is opaque to the store: the discover
/// step's facts as JSON, written and read by <c>Census/DiscoveryCodec</c>.</summary>
public sealed record PlannedDiscoveryRow(Guid TargetId, string Mode, string Result, DateTimeOffset ValidUntil)
{
    /// <summary>The longest result the store keeps: a typical domain's is well under 2 KiB (a few SRV records and
    /// endpoints); beyond this a node resolves for itself rather than read a huge row per target.</summary>
    public const int MaxResultChars = 64 * 1024;
}

/// <summary>How wide a shard key is: one address, or its /24 (IPv4) or /48 (IPv6) for politeness per network.</summary>
public enum ShardKeyPolicy
{
    PerAddress,
    PerSubnet,
}

/// <summary>The outcome of planning: targets assigned now, targets planned before, shard rows created (all regions).</summary>
public sealed record PlanResult(int TargetsPlanned, int TargetsSkipped, int ShardsCreated);

/// <summary>A target in a shard, with the addresses it was planned from and its status in the shard's region.</summary>
/// <remarks><c>Generation</c>: how many times the target was rescanned (0 for the first scan); its streams are per generation.</remarks>
public sealed record ShardTarget(Guid TargetId, string Domain, IReadOnlyList<string> Addresses, TargetStatus Status, int Generation = 0);

/// <summary>The outcome of a rescan request.</summary>
public enum RescanOutcome
{
    /// <summary>The target is pending again in every region under a new scan generation; an entity scanning the
    /// previous one restarts it under the new one.</summary>
    Queued,

    /// <summary>No such census or domain.</summary>
    NotFound,

    /// <summary>The census is cancelled.</summary>
    CensusCancelled,
}

/// <summary>A rescan's outcome and the target's scan generation after it.</summary>
public sealed record RescanResult(RescanOutcome Outcome, int Generation);

/// <summary>A rescanned target pending in a shard under scan generation <c>Generation</c>.</summary>
public sealed record PendingRescan(long ShardId, Guid TargetId, int Generation);

/// <summary>A target's status in one region.</summary>
public enum TargetStatus
{
    Pending,
    Done,
    Failed,
}

/// <summary>How a target ended in a region.</summary>
public enum TargetOutcome
{
    Done,
    Failed,
}

/// <summary>A shard: one sharding entity of its region's cluster (all targets sharing an address key).</summary>
public sealed record ShardInfo(long ShardId, Guid CensusId, string Region, string ShardKey, bool Done);

/// <summary>A member of a region's cluster as its feeder singleton last saw it: address, roles, status
/// (up, joining, leaving, …), reachability, and the sharding shards and entities it hosts.</summary>
public sealed record ClusterMember(string Region, string Address, string Roles, string Status, bool Reachable, int Shards,
    int Entities, DateTimeOffset ReportedAt);

/// <summary>The SHA-256 (lower-case hex) of each certificate in input order, and how many were new.</summary>
public sealed record CertificatesStored(IReadOnlyList<string> Sha256, int Added);

/// <summary>Progress of a census in one region.</summary>
public sealed record RegionProgress(
    string Region,
    int TargetsTotal,
    int TargetsPlanned,
    int TargetsDone,
    int TargetsFailed,
    int ShardsPending,
    int ShardsDone)
{
    public int TargetsRemaining => TargetsTotal - TargetsDone - TargetsFailed;
}

/// <summary>A census with this name exists already.</summary>
public sealed class CensusExistsException(string name) : Exception($"a census named '{name}' exists already");
