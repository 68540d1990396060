using XmppScanCluster.Coordinator.Aggregation;
using XmppScanCluster.Coordinator.Grading;
using XmppScanCluster.Coordinator.Store;

namespace XmppScanCluster.Coordinator.Reports.Site;

/// <summary>
/// A census as the site shows it: the latest result per domain and mode in one region, graded with one policy,
/// its statistics and its table rows. Built from the journal by the <see cref="Aggregator"/>, so a stored census
/// is re-graded, never rescanned.
/// </summary>
/// <param name="Census">The stored census.</param>
/// <param name="Policy">The grading policy.</param>
/// <param name="Statistics">What <see cref="StatisticsCalculator"/> computes for the region.</param>
/// <param name="Results">The region's results, by domain then mode.</param>
/// <param name="Rows">One table row per result, in the same order.</param>
/// <param name="SslLabsStatistics">The same statistics under ssllabs-2009r, shown beside the policy's grades (null when that is the policy).</param>
public sealed record CensusView(CensusInfo Census, IGradingPolicy Policy, CensusStatistics Statistics,
    IReadOnlyList<RegionResult> Results, IReadOnlyList<DomainRow> Rows, CensusStatistics? SslLabsStatistics = null)
{
    /// <summary>Reads a census's journal and grades it (<paramref name="region"/>: default the census's first).</summary>
    public static async Task<CensusView> LoadAsync(ICensusStore store, CensusInfo census, IGradingPolicy policy, string? region,
        CancellationToken ct = default)
    {
        var aggregator = new Aggregator(store, census.CensusId);
        await aggregator.CatchUpAsync(ct).ConfigureAwait(false);
        var all = aggregator.Results(policy);
        var chosen = region ?? census.Regions.FirstOrDefault() ?? all.Select(r => r.Region).FirstOrDefault() ?? "default";
        var counted = all.Where(r => r.Region == chosen).ToList();
        var statistics = StatisticsCalculator.Compute(policy.Name, chosen, counted, all);
        if (policy.Name == Policies.SslLabs)
        {
            return new CensusView(census, policy, statistics, counted, [.. counted.Select(r => DomainRow.From(r))]);
        }

        // The SSL Labs letter beside the policy's: same results, same order, graded by ssllabs-2009r.
        var sslAll = aggregator.Results(Policies.SslLabs2009r);
        var sslCounted = sslAll.Where(r => r.Region == chosen).ToList();
        var sslStatistics = StatisticsCalculator.Compute(Policies.SslLabs, chosen, sslCounted, sslAll);
        return new CensusView(census, policy, statistics, counted,
            [.. counted.Select((r, i) => DomainRow.From(r, sslCounted[i].Grade))], sslStatistics);
    }
}
