using System.Globalization;
using System.Text;
using static XmppScanCluster.Coordinator.Reports.HtmlReportRenderer;

namespace XmppScanCluster.Coordinator.Reports.Site;

/// <summary>compare.html: every result whose grade changed since the previous census, and the ones that came and went.</summary>
internal static class ComparePage
{
    public static string Body(string censusName, CensusComparison comparison)
    {
        var html = new StringBuilder();
        html.Append("<h1>").Append(E($"{censusName} compared with {comparison.PreviousName}")).Append("</h1>\n<p class=\"meta\">")
            .Append(E($"{comparison.PreviousName} was created {comparison.PreviousCreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC; "
                + $"both graded with the same policy. {comparison.Unchanged} results kept their grade."))
            .Append("</p>\n");
        Section(html, "improved", "Improved", comparison.Improved, linkNow: true);
        Section(html, "worse", "Got worse", comparison.Worse, linkNow: true);
        Section(html, "new", "New in this census", comparison.New, linkNow: true);
        Section(html, "gone", "Gone since the previous census", comparison.Gone, linkNow: false);
        return html.ToString();
    }

    private static void Section(StringBuilder html, string id, string title, IReadOnlyList<GradeChange> changes, bool linkNow)
    {
        html.Append("<section class=\"card changes\" id=\"").Append(id).Append("\"><h2>").Append(E(title)).Append(" (")
            .Append(changes.Count.ToString(CultureInfo.InvariantCulture)).Append(")</h2>");
        if (changes.Count == 0)
        {
            html.Append("<p class=\"meta\">none</p></section>\n");
            return;
        }

        html.Append("<table class=\"list\"><thead><tr><th>Domain</th><th>Mode</th><th>Before</th><th>Now</th></tr></thead><tbody>");
        foreach (var change in changes.OrderBy(c => c.Domain, StringComparer.Ordinal).ThenBy(c => c.Mode, StringComparer.Ordinal))
        {
            html.Append("<tr><td>");
            if (linkNow)
            {
                html.Append("<a href=\"").Append(SiteFiles.DomainDir).Append('/').Append(change.Page).Append(".html\">").Append(E(change.Domain)).Append("</a>");
            }
            else
            {
                html.Append(E(change.Domain));
            }

            html.Append("</td><td>").Append(E(change.Mode)).Append("</td><td>").Append(Letter(change.Before)).Append("</td><td>")
                .Append(Letter(change.After)).Append("</td></tr>");
        }

        html.Append("</tbody></table></section>\n");
    }

    private static string Letter(string? grade) =>
        $"<span class=\"gl {GradeStyle.CssClass(grade)}\">{E(grade ?? "–")}</span>";
}
