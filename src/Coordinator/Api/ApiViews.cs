using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Shared.Messages;

namespace XmppScanCluster.Coordinator.Api;

/// <summary>Store records to API views (pure; the time is passed in so the ETA is testable).</summary>
public static class ApiViews
{
    public static CensusSummary Summary(CensusInfo census, IReadOnlyList<RegionProgress> progress) =>
        new(census.Name, census.CensusId, census.State.Name(), census.GradingPolicy, census.Regions, census.CreatedAt,
            progress.Sum(p => p.TargetsTotal), progress.Sum(p => p.TargetsDone), progress.Sum(p => p.TargetsFailed),
            CensusSettings.FromJson(census.SettingsJson).Depth.Name());

    /// <summary>
    /// A region's progress with its rate and ETA. With <paramref name="recentTargetsPerMinute"/> (the coordinator's
    /// recent activity window) the ETA follows the census as it is now — after a pause, a node joining or leaving, or
    /// slow servers late in the list; an average since creation would count the paused hours as slowness. Without it
    /// (no window kept), the average since creation. A recent rate of 0 means "nothing finished lately": no ETA.
    /// </summary>
    public static RegionProgressView Region(RegionProgress p, DateTimeOffset createdAt, DateTimeOffset now,
        double? recentTargetsPerMinute = null)
    {
        var finished = p.TargetsDone + p.TargetsFailed;
        var minutes = (now - createdAt).TotalMinutes;
        double? rate = recentTargetsPerMinute is { } recent ? (recent > 0 ? recent : null)
            : finished > 0 && minutes > 0 ? finished / minutes : null;
        double? eta = rate is { } r && p.TargetsRemaining > 0 ? Math.Round(p.TargetsRemaining / r * 60, 1) : null;
        return new RegionProgressView(p.Region, p.TargetsTotal, p.TargetsDone, p.TargetsFailed, p.TargetsRemaining,
            p.ShardsPending, p.ShardsDone, rate is null ? null : Math.Round(rate.Value, 2), eta);
    }

    public static IReadOnlyList<MemberView> Members(IReadOnlyList<ClusterMember> members) =>
        [.. members.Select(m => new MemberView(m.Region, m.Address, m.Roles, m.Status, m.Reachable, m.Shards, m.Entities, m.ReportedAt))];
}
