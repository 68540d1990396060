using System.Globalization;
using System.Text;
using XmppScanCluster.Coordinator.Store;
using static XmppScanCluster.Coordinator.Reports.HtmlReportRenderer;

namespace XmppScanCluster.Coordinator.Reports.Site;

/// <summary>
/// index.html: what the census found, at a glance — the key figures and every statistic as a chart with its
/// numbers (<see cref="StatisticsHtml"/>), what changed since the previous census, the trend over the censuses of the
/// same targets (<see cref="TrendHtml"/>), and the downloads. Its weight
/// does not grow with the number of domains: no table here, so it opens fast for any census.
/// </summary>
internal static class OverviewPage
{
    public static string Body(CensusView view, CensusComparison? comparison, IReadOnlyList<TrendPoint>? trend = null)
    {
        var census = view.Census;
        var html = new StringBuilder();
        html.Append("<h1>").Append(E(census.Name)).Append("</h1>\n<p class=\"meta\">")
            .Append(E($"census {census.State.Name()}, created {census.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC · "
                + $"{view.Rows.Select(r => r.Domain).Distinct().Count()} domains · grading policy {view.Policy.Name} · region {view.Statistics.Region}"))
            .Append(" · <a href=\"").Append(SiteFiles.Domains).Append("\">every domain</a></p>\n");
        if (comparison is not null)
        {
            html.Append("<p class=\"card\" id=\"changes\">Since <b>").Append(E(comparison.PreviousName)).Append("</b>: ")
                .Append(Figure("improved", comparison.Improved.Count)).Append(", ").Append(Figure("worse", comparison.Worse.Count))
                .Append(", ").Append(Figure("new", comparison.New.Count)).Append(", ").Append(Figure("gone", comparison.Gone.Count))
                .Append(", ").Append(comparison.Unchanged).Append(" unchanged · <a href=\"").Append(SiteFiles.Compare).Append("\">details</a></p>\n");
        }

        html.Append(TrendHtml.Render(trend is { Count: > 0 } ? trend : [new TrendPoint(census.Name, census.CreatedAt, view.Statistics)]));
        html.Append(StatisticsHtml.Render(view.Statistics, view.SslLabsStatistics));
        html.Append("<section class=\"card\" id=\"downloads\"><h2>Downloads</h2><ul>")
            .Append("<li><a href=\"").Append(SiteFiles.Csv).Append("\">domains.csv</a> — one row per domain and mode</li>")
            .Append("<li><a href=\"").Append(SiteFiles.Json).Append("\">domains.json</a> — the same rows as JSON</li>")
            .Append("<li><a href=\"").Append(SiteFiles.Statistics).Append("\">statistics.json</a> — the statistics above (as <code>xmppscan census stats --json</code>)</li>")
            .Append("<li><code>badge/DOMAIN.svg</code> — a grade badge per domain (linked from each domain's page)</li></ul></section>\n");
        return html.ToString();
    }

    private static string Figure(string id, int count) =>
        $"<span data-change=\"{id}\">{count.ToString(CultureInfo.InvariantCulture)}</span> {id}";
}
