using System.Text;
using XmppScanCluster.Coordinator.Aggregation;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.Coordinator.Dashboard;

/// <summary>
/// Vantage disagreements (<see cref="CensusStatistics.Disagreements"/>): an endpoint seen differently from two regions,
/// with what each region saw. Endpoint names and values come from DNS and certificates: escaped.
/// </summary>
internal static class DisagreementsHtml
{
    public static string Render(IReadOnlyList<VantageDisagreement> disagreements)
    {
        var html = new StringBuilder("<h2>Vantage disagreements</h2>");
        if (disagreements.Count == 0)
        {
            return html.Append("<p class=\"meta\" id=\"no-disagreements\">none: every region saw the same</p>").ToString();
        }

        html.Append("<table class=\"list\" id=\"disagreements\">").Th("domain", "mode", "endpoint", "kind", "what each region saw");
        foreach (var d in disagreements)
        {
            html.Append("<tr>").Td(d.Domain).Td(d.Mode.Name()).Td(d.Endpoint).Td(d.Kind, "bad").Append("<td>").Text(d.Summary);
            foreach (var (region, value) in d.Values.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                html.Append("<div class=\"meta\">").Text(region).Append(": ").Text(value).Append("</div>");
            }

            html.Append("</td></tr>");
        }

        return html.Append("</table>").ToString();
    }
}
