using System.Text;
using XmppScanCluster.Coordinator.Api;
using XmppScanCluster.Coordinator.Store;

namespace XmppScanCluster.Coordinator.Dashboard;

/// <summary>The census list: state, progress, average rate and ETA of every census; the selected one highlighted.</summary>
internal static class CensusListHtml
{
    /// <summary>One census with its progress per region. Counts are summed over regions (a target is scanned once per
    /// region), as are rates; the rate here is the average since creation, cheap for every census — the selected census's
    /// panel shows the recent rate from the journal.</summary>
    public sealed record Row(CensusInfo Census, IReadOnlyList<RegionProgress> Progress);

    public static string Render(IReadOnlyList<Row> rows, string? selected, DateTimeOffset now)
    {
        var html = new StringBuilder("<h2>Censuses</h2>");
        if (rows.Count == 0)
        {
            return html.Append("<p class=\"meta\">no census in the store yet</p>").ToString();
        }

        html.Append("<table class=\"list\" id=\"census-list\">")
            .Th("census", "state", "progress", "done / total", "failed", "targets/min (since start)", "ETA");
        foreach (var row in rows.OrderByDescending(r => r.Census.CreatedAt))
        {
            var summary = ApiViews.Summary(row.Census, row.Progress);
            var regions = row.Progress.Select(p => ApiViews.Region(p, row.Census.CreatedAt, now)).ToList();
            var finished = summary.TargetsDone + summary.TargetsFailed;
            // Regions run side by side: the census ends with its slowest region.
            var eta = row.Census.State == CensusState.Running && regions.Count > 0 && regions.All(r => r.EtaSeconds is not null || r.TargetsRemaining == 0)
                ? regions.Max(r => r.EtaSeconds ?? 0) : (double?)null;
            html.Append(row.Census.Name == selected ? "<tr class=\"selected\">" : "<tr>")
                .Append("<td><a href=\"/dashboard?census=").Text(Uri.EscapeDataString(row.Census.Name)).Append("\">")
                .Text(row.Census.Name).Append("</a></td>")
                .Td(row.Census.State.Name(), "state-" + row.Census.State.Name())
                .Append("<td>").Progress(finished, summary.TargetsTotal).Append("</td>")
                .Append("<td class=\"n\">").Num(summary.TargetsDone).Append(" / ").Num(summary.TargetsTotal).Append("</td>")
                .TdNum(summary.TargetsFailed)
                .TdNum(regions.Sum(r => r.TargetsPerMinute ?? 0))
                .Td(Html.Eta(eta)).Append("</tr>");
        }

        return html.Append("</table>").ToString();
    }
}
