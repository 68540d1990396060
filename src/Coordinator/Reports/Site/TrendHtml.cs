using System.Globalization;
using System.Text;
using XmppScanCluster.Coordinator.Aggregation;
using static XmppScanCluster.Coordinator.Reports.HtmlReportRenderer;

namespace XmppScanCluster.Coordinator.Reports.Site;

/// <summary>
/// The trend card of the overview: one stacked column of grades per census (the share of each letter, not responding
/// on top in grey), oldest on the left, and below it the key shares per census as numbers. Census names are the
/// operator's text and escaped like everything else. Every bar carries <c>data-census</c>, <c>data-key</c> and
/// <c>data-count</c>, every number cell <c>data-key</c>, so a test reads the chart back as numbers.
/// </summary>
internal static class TrendHtml
{
    private const int ColumnWidth = 40, Gap = 26, Height = 120, Top = 4;

    /// <summary>Key shares shown per census: feature key and what people read.</summary>
    private static readonly (string Key, string Label)[] Shares =
    [
        ("tls13", "TLS 1.3"), ("forward_secrecy_all", "forward secrecy (every suite)"), ("starttls_required_c2s", "STARTTLS required (c2s)"),
        ("sasl_plain_before_tls", "PLAIN before TLS"),
    ];

    public static string Render(IReadOnlyList<TrendPoint> points)
    {
        var html = new StringBuilder();
        html.Append("<section class=\"card\" id=\"trend\"><h2>Over time: ").Append(points.Count.ToString(CultureInfo.InvariantCulture))
            .Append(points.Count == 1 ? " census" : " censuses").Append(" of these targets</h2>");
        Columns(html, points);
        Legend(html, points);
        Table(html, points);
        html.Append(points.Count == 1
            ? "<p class=\"meta\">One census so far: each later census of these targets adds a column.</p>"
            : "<p class=\"meta\">Each census graded with this report's policy from its stored facts; shares are of each census's results.</p>");
        html.Append("</section>\n");
        return html.ToString();
    }

    private static void Columns(StringBuilder html, IReadOnlyList<TrendPoint> points)
    {
        var width = points.Count * (ColumnWidth + Gap) + Gap;
        html.Append("<svg class=\"trend\" width=\"").Append(width).Append("\" height=\"").Append(Height + Top + 16).Append("\" viewBox=\"0 0 ")
            .Append(width).Append(' ').Append(Height + Top + 16).Append("\" role=\"img\" aria-label=\"grade shares per census, oldest first\">");
        for (var i = 0; i < points.Count; i++)
        {
            var (name, created, stats) = points[i];
            var x = Gap + i * (ColumnWidth + Gap);
            var y = (double)Top + Height;
            var slices = GradeStyle.Letters.Select(l => (Key: l, Count: stats.Grades.FirstOrDefault(g => g.Key == l)?.Domains ?? 0, Fill: GradeStyle.Colour(l)))
                .Append(("none", stats.NotResponding, GradeStyle.Colour(null)));
            foreach (var (key, count, fill) in slices.Where(s => s.Item2 > 0))
            {
                var h = stats.Results == 0 ? 0 : Height * (double)count / stats.Results;
                y -= h;
                html.Append("<rect x=\"").Append(x).Append("\" y=\"").Append(Num(y)).Append("\" width=\"").Append(ColumnWidth).Append("\" height=\"")
                    .Append(Num(h)).Append("\" fill=\"").Append(fill).Append("\" data-census=\"").Append(i).Append("\" data-key=\"").Append(E(key))
                    .Append("\" data-count=\"").Append(count).Append("\"><title>").Append(E($"{name}: {(key == "none" ? "not responding" : key)} {count} of {stats.Results}"))
                    .Append("</title></rect>");
            }

            html.Append("<text x=\"").Append(x + ColumnWidth / 2).Append("\" y=\"").Append(Height + Top + 13).Append("\" text-anchor=\"middle\" font-size=\"10\">")
                .Append(E(created.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))).Append("<title>").Append(E(name)).Append("</title></text>");
        }

        html.Append("</svg>");
    }

    private static void Legend(StringBuilder html, IReadOnlyList<TrendPoint> points)
    {
        var shown = GradeStyle.Letters.Where(l => points.Any(p => p.Statistics.Grades.Any(g => g.Key == l && g.Domains > 0))).ToList();
        html.Append("<p class=\"meta legend\">");
        foreach (var letter in shown)
        {
            Swatch(html, GradeStyle.Colour(letter)).Append(E(letter)).Append(' ');
        }

        if (points.Any(p => p.Statistics.NotResponding > 0))
        {
            Swatch(html, GradeStyle.Colour(null)).Append("not responding");
        }

        html.Append("</p>");
    }

    private static StringBuilder Swatch(StringBuilder html, string fill) =>
        html.Append("<svg width=\"10\" height=\"10\" aria-hidden=\"true\"><rect width=\"10\" height=\"10\" fill=\"").Append(fill).Append("\"/></svg> ");

    private static void Table(StringBuilder html, IReadOnlyList<TrendPoint> points)
    {
        html.Append("<table class=\"nums\" id=\"trend-table\"><thead><tr><th>census</th><th>created</th><th>results</th><th>responding</th><th>A or better</th>");
        foreach (var (_, label) in Shares)
        {
            html.Append("<th>").Append(E(label)).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var (name, created, stats) in points)
        {
            var good = stats.Grades.Where(g => g.Key is "A+" or "A" or "A-").ToList();
            html.Append("<tr><td>").Append(E(name)).Append("</td><td>").Append(E(created.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))
                .Append("</td><td class=\"n\" data-key=\"results\">").Append(stats.Results).Append("</td><td class=\"n\" data-key=\"responding\">")
                .Append(stats.Responding).Append("</td>");
            Share(html, "a_or_better", good.Sum(g => g.Domains), good.Sum(g => g.Share));
            foreach (var (key, _) in Shares)
            {
                var count = stats.Features.FirstOrDefault(f => f.Key == key);
                if (count is null && StatisticsCalculator.SuiteFeatures.Contains(key) && stats.Assessed == 0)
                {
                    html.Append("<td class=\"n\" data-key=\"").Append(key).Append("\">not counted</td>"); // a census at depth session
                    continue;
                }

                Share(html, key, count?.Domains ?? 0, count?.Share ?? 0);
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table>");
    }

    private static void Share(StringBuilder html, string key, int count, double share) =>
        html.Append("<td class=\"n\" data-key=\"").Append(key).Append("\" data-count=\"").Append(count).Append("\">")
            .Append((share * 100).ToString("0.#", CultureInfo.InvariantCulture)).Append(" %</td>");

    private static string Num(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
}
