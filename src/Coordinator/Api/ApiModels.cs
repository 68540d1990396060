using System.Text.Json.Serialization;

namespace XmppScanCluster.Coordinator.Api;

/// <summary>A census in the list: its state and target counts summed over its regions.</summary>
public sealed record CensusSummary(string Name, Guid CensusId, string State, string GradingPolicy, IReadOnlyList<string> Regions,
    DateTimeOffset CreatedAt, int TargetsTotal, int TargetsDone, int TargetsFailed, string Depth);

/// <summary>Progress of one region; the rate is completed targets per minute over the coordinator's recent activity
/// window (since creation where no window is kept), the ETA the remaining targets at that rate (null when nothing
/// finished lately or nothing remains).</summary>
public sealed record RegionProgressView(string Region, int TargetsTotal, int TargetsDone, int TargetsFailed, int TargetsRemaining,
    int ShardsPending, int ShardsDone, double? TargetsPerMinute, double? EtaSeconds);

/// <summary>One census with its progress per region.</summary>
public sealed record CensusDetail(CensusSummary Census, IReadOnlyList<RegionProgressView> Regions);

/// <summary>A member of a region's cluster as its feeder singleton last reported it.</summary>
public sealed record MemberView(string Region, string Address, string Roles, string Status, bool Reachable, int Shards, int Entities,
    DateTimeOffset ReportedAt);

/// <summary>The coordinator at a glance.</summary>
public sealed record StatusView(int Censuses, int Running, int Paused, int MembersUp, int Entities, IReadOnlyList<CensusSummary> CensusList);

/// <summary>A census's state after pause/resume/cancel.</summary>
public sealed record StateView(string Name, string State);

/// <summary>Body of POST /api/censuses/{name}/rescan.</summary>
public sealed record RescanRequest(string Domain);

/// <summary>The outcome of a rescan: queued (with the new scan generation), not_found, busy, census_cancelled.</summary>
public sealed record RescanView(string Name, string Domain, string Outcome, int Generation);

/// <summary>Any error answer.</summary>
public sealed record ErrorView(string Error);

/// <summary>Source-generated JSON of the API (snake_case).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true)]
[JsonSerializable(typeof(IReadOnlyList<CensusSummary>))]
[JsonSerializable(typeof(CensusDetail))]
[JsonSerializable(typeof(IReadOnlyList<MemberView>))]
[JsonSerializable(typeof(StatusView))]
[JsonSerializable(typeof(StateView))]
[JsonSerializable(typeof(RescanRequest))]
[JsonSerializable(typeof(RescanView))]
[JsonSerializable(typeof(ErrorView))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
