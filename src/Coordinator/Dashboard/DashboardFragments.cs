using System.Text;
using XmppScanCluster.Coordinator.Grading;
using XmppScanCluster.Coordinator.Reports.Site;
using XmppScanCluster.Coordinator.Store;

namespace XmppScanCluster.Coordinator.Dashboard;

/// <summary>
/// Loads what each dashboard fragment shows and renders it: the census list from the store, everything about the
/// selected census through its <see cref="LiveCensus"/> (incremental aggregation), nodes and leases from the store.
/// The page embeds the same fragments on first load, so it is complete before the script runs.
/// </summary>
public sealed class DashboardFragments(ICensusStore store, LiveCensuses live, TimeProvider time)
{
    /// <summary>The fragments, in page order.</summary>
    public static readonly IReadOnlyList<string> Names = ["censuses", "progress", "nodes", "stats", "results", "disagreements"];

    /// <summary>How many results the "latest results" table lists.</summary>
    public const int RecentShown = 20;

    /// <summary>The census a request means: the one named, else the latest running one, else the latest; null when the name
    /// is unknown or the store holds none.</summary>
    public async Task<CensusInfo?> SelectAsync(string? name, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(name))
        {
            return await store.FindCensusAsync(name, ct).ConfigureAwait(false);
        }

        var all = await store.ListCensusesAsync(ct).ConfigureAwait(false);
        return all.LastOrDefault(c => c.State == CensusState.Running) ?? all.LastOrDefault();
    }

    /// <summary>The inner HTML of fragment <paramref name="name"/> (one of <see cref="Names"/>).</summary>
    public async Task<string> RenderAsync(string name, CensusInfo? census, string? region, CancellationToken ct)
    {
        if (name == "censuses")
        {
            var rows = new List<CensusListHtml.Row>();
            foreach (var c in await store.ListCensusesAsync(ct).ConfigureAwait(false))
            {
                rows.Add(new CensusListHtml.Row(c, await store.GetProgressAsync(c.CensusId, ct).ConfigureAwait(false)));
            }

            return CensusListHtml.Render(rows, census?.Name, time.GetUtcNow());
        }

        if (census is null)
        {
            return name == "progress" ? "<p class=\"meta\">no census selected</p>" : string.Empty;
        }

        // The census row read when the request began: its state may have changed since the cache was filled.
        var view = live.For(census);
        switch (name)
        {
            case "progress":
                return ProgressHtml.Render(census, await store.GetProgressAsync(census.CensusId, ct).ConfigureAwait(false),
                    await view.ThroughputAsync(ct).ConfigureAwait(false));
            case "nodes":
                return NodesHtml.Render(await store.ListClusterMembersAsync(ct).ConfigureAwait(false),
                    await view.ThroughputAsync(ct).ConfigureAwait(false), time.GetUtcNow());
            case "results":
                return ResultsHtml.Render(await view.RecentAsync(RecentShown, ct).ConfigureAwait(false), census.GradingPolicy);
        }

        if (!Policies.TryGet(census.GradingPolicy, out var policy))
        {
            return "<p class=\"bad\">unknown grading policy " + Reports.HtmlReportRenderer.E(census.GradingPolicy) + "</p>";
        }

        var chosen = region is not null && census.Regions.Contains(region) ? region : census.Regions.FirstOrDefault();
        var stats = await view.StatisticsAsync(policy, chosen, ct).ConfigureAwait(false);
        if (name == "disagreements")
        {
            return DisagreementsHtml.Render(stats.Disagreements);
        }

        // StatisticsHtml says which policy and region the numbers are of.
        var html = new StringBuilder("<h2>Statistics</h2>");
        if (census.Regions.Count > 1)
        {
            html.Append("<p class=\"regions meta\">region: ");
            foreach (var r in census.Regions)
            {
                html.Append("<a href=\"/dashboard?census=").Text(Uri.EscapeDataString(census.Name)).Append("&amp;region=")
                    .Text(Uri.EscapeDataString(r)).Append("\">").Text(r).Append("</a>");
            }

            html.Append("</p>");
        }

        // The SSL Labs letters beside the census policy's (as on the report site).
        var sslLabs = policy.Name == Policies.SslLabs ? null : await view.StatisticsAsync(Policies.SslLabs2009r, chosen, ct).ConfigureAwait(false);
        return html.Append(StatisticsHtml.Render(stats, sslLabs)).ToString();
    }
}
