using System.Globalization;
using System.Text;
using XmppScanCluster.Coordinator.Aggregation;

namespace XmppScanCluster.Coordinator.Reports.Site;

/// <summary>
/// The census statistics as HTML cards: each a horizontal bar chart drawn as inline SVG with its numbers in a
/// table beside it (people read pictures, check numbers). Shared by the site's overview and the live dashboard.
/// Every label is escaped: issuer names and keys come from certificates the servers sent.
/// </summary>
public static class StatisticsHtml
{
    /// <summary>The key figures and one card per statistic.</summary>
    public static string Render(CensusStatistics stats)
    {
        var html = new StringBuilder();
        html.Append("<div class=\"kpis\">");
        Kpi(html, stats.Results, "results (domain × mode)");
        Kpi(html, stats.Responding, "responding");
        Kpi(html, stats.NotResponding, "not responding");
        html.Append("</div>\n<div class=\"cards\">\n");
        Card(html, "grades", "Grades", stats.Grades, stats.Responding);
        Card(html, "grades-ignoring-trust", "Grades if trust issues are ignored", stats.GradesIgnoringTrust, stats.Responding);
        Card(html, "trust-causes", "Trust problems", stats.TrustCauses, stats.Responding);
        Card(html, "protocols", "Protocol support", stats.Protocols, stats.Responding);
        Card(html, "key-types", "Key types and sizes", stats.KeyTypes, stats.Responding);
        Card(html, "features", "Features", stats.Features, stats.Results);
        Card(html, "top-issuers", "Top certificate issuers", stats.TopIssuers, stats.Responding);
        html.Append("</div>\n");
        return html.ToString();
    }

    /// <summary>One card: a bar per count, the bar's length its share of <paramref name="total"/>.</summary>
    public static void Card(StringBuilder html, string id, string title, IReadOnlyList<Count> counts, int total)
    {
        html.Append("<section class=\"card\" id=\"").Append(HtmlReportRenderer.E(id)).Append("\"><h2>")
            .Append(HtmlReportRenderer.E(title)).Append("</h2>");
        if (counts.Count == 0)
        {
            html.Append("<p class=\"meta\">none</p></section>\n");
            return;
        }

        const int barWidth = 160, rowHeight = 18;
        var height = counts.Count * rowHeight;
        html.Append("<div class=\"chart\"><svg role=\"img\" aria-label=\"").Append(HtmlReportRenderer.E(title))
            .Append("\" width=\"").Append(barWidth).Append("\" height=\"").Append(height).Append("\" viewBox=\"0 0 ")
            .Append(barWidth).Append(' ').Append(height).Append("\">");
        for (var i = 0; i < counts.Count; i++)
        {
            var width = total > 0 ? Math.Max(1, (int)Math.Round(barWidth * (double)counts[i].Domains / total)) : 0;
            html.Append("<rect x=\"0\" y=\"").Append(i * rowHeight + 3).Append("\" width=\"").Append(width)
                .Append("\" height=\"").Append(rowHeight - 6).Append("\" fill=\"#1565c0\"><title>")
                .Append(HtmlReportRenderer.E($"{counts[i].Key}: {counts[i].Domains}")).Append("</title></rect>");
        }

        html.Append("</svg><table class=\"nums\">");
        foreach (var count in counts)
        {
            html.Append("<tr><td>").Append(HtmlReportRenderer.E(count.Key)).Append("</td><td class=\"n\">")
                .Append(count.Domains.ToString(CultureInfo.InvariantCulture)).Append("</td><td class=\"n\">")
                .Append((count.Share * 100).ToString("0.#", CultureInfo.InvariantCulture)).Append(" %</td></tr>");
        }

        html.Append("</table></div></section>\n");
    }

    private static void Kpi(StringBuilder html, int value, string label) =>
        html.Append("<div class=\"kpi\"><b>").Append(value.ToString(CultureInfo.InvariantCulture)).Append("</b><span>")
            .Append(HtmlReportRenderer.E(label)).Append("</span></div>");
}
