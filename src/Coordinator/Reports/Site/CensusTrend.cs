using XmppScanCluster.Coordinator.Aggregation;
using XmppScanCluster.Coordinator.Grading;
using XmppScanCluster.Coordinator.Store;

namespace XmppScanCluster.Coordinator.Reports.Site;

/// <summary>One census on the trend chart: when, and its statistics under the report's policy.</summary>
public sealed record TrendPoint(string Name, DateTimeOffset CreatedAt, CensusStatistics Statistics);

/// <summary>
/// The censuses of the same targets over time (issue 13 item 9: what the first census's author meant to publish every
/// few months): the reported census and the ones created before it that share at least one domain with it, oldest
/// first, at most <see cref="MaxPoints"/>. Each is re-graded with the report's policy from its stored facts, so the
/// columns compare like with like.
/// </summary>
public static class CensusTrend
{
    public const int MaxPoints = 12;

    /// <param name="store">The store.</param>
    /// <param name="all">Every census in the store, oldest first.</param>
    /// <param name="chosen">The reported census (its index in <paramref name="all"/>).</param>
    /// <param name="view">The reported census as the site shows it.</param>
    /// <param name="policy">The report's policy.</param>
    /// <param name="ct">Cancels the reading.</param>
    public static async Task<IReadOnlyList<TrendPoint>> LoadAsync(ICensusStore store, IReadOnlyList<CensusInfo> all, int chosen, CensusView view,
        IGradingPolicy policy, CancellationToken ct = default)
    {
        var domains = view.Rows.Select(r => r.Domain).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var points = new List<TrendPoint>();
        for (var i = chosen - 1; i >= 0 && points.Count < MaxPoints - 1; i--)
        {
            var targets = await store.ListTargetsAsync(all[i].CensusId, null, 100_000, ct).ConfigureAwait(false);
            if (targets.Any(t => domains.Contains(t.Domain)))
            {
                points.Add(new TrendPoint(all[i].Name, all[i].CreatedAt, await Aggregator.ComputeAsync(store, all[i], policy, ct).ConfigureAwait(false)));
            }
        }

        points.Reverse();
        points.Add(new TrendPoint(view.Census.Name, view.Census.CreatedAt, view.Statistics));
        return points;
    }
}
