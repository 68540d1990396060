using System.Text;
using XmppScanCluster.Coordinator.Store;

namespace XmppScanCluster.Coordinator.Dashboard;

/// <summary>
/// The selected census's progress: overall and per region, with the recent throughput from the journal and the ETA at
/// that rate (remaining targets ÷ recent targets/min; the census's ETA is its slowest region's). A region with targets
/// left and nothing finished in the window has no ETA ("—"): it is stalled or paused, and a made-up number would mislead.
/// </summary>
internal static class ProgressHtml
{
    public static string Render(CensusInfo census, IReadOnlyList<RegionProgress> progress, ThroughputSnapshot throughput)
    {
        var total = progress.Sum(p => p.TargetsTotal);
        var done = progress.Sum(p => p.TargetsDone);
        var failed = progress.Sum(p => p.TargetsFailed);
        var etas = progress.Select(p => Eta(p, throughput.Region(p.Region))).ToList();
        double? eta = etas.Count > 0 && etas.All(e => e is not null) ? etas.Max() : null;

        var html = new StringBuilder("<h2>Census <span id=\"census-name\">").Text(census.Name).Append("</span> <span class=\"meta\">")
            .Text(census.State.Name()).Append(" · policy ").Text(census.GradingPolicy).Append(" · created ")
            .Text(census.CreatedAt.UtcDateTime.ToString("u", System.Globalization.CultureInfo.InvariantCulture)).Append("</span></h2>");
        html.Append("<div class=\"kpis\">");
        Kpi(html, "progress-done", $"{done} / {total}", "targets done (all regions)");
        Kpi(html, "progress-failed", failed.ToString(System.Globalization.CultureInfo.InvariantCulture), "failed");
        Kpi(html, "rate-targets", throughput.Total.TargetsPerMinute.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture),
            $"targets/min (last {throughput.Window.TotalSeconds:0} s)");
        Kpi(html, "rate-events", throughput.Total.EventsPerSecond.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture), "events/s");
        Kpi(html, "eta", total > 0 && done + failed >= total ? "done" : census.State == CensusState.Running ? Html.Eta(eta) : "—", "ETA (h:mm:ss)");
        html.Append("</div><p>").Progress(done + failed, total).Append("</p>");

        html.Append("<table class=\"list\" id=\"regions\">")
            .Th("region", "progress", "done", "failed", "remaining", "shards pending / done", "targets/min", "events/s", "ETA");
        for (var i = 0; i < progress.Count; i++)
        {
            var p = progress[i];
            var rate = throughput.Region(p.Region);
            html.Append("<tr>").Td(p.Region).Append("<td>").Progress(p.TargetsDone + p.TargetsFailed, p.TargetsTotal).Append("</td>")
                .TdNum(p.TargetsDone).TdNum(p.TargetsFailed).TdNum(p.TargetsRemaining)
                .Td($"{p.ShardsPending} / {p.ShardsDone}", "n")
                .TdNum(rate.TargetsPerMinute).TdNum(rate.EventsPerSecond).Td(p.TargetsRemaining <= 0 ? "done" : Html.Eta(etas[i])).Append("</tr>");
        }

        return html.Append("</table>").ToString();
    }

    /// <summary>Seconds left in a region at its recent rate: 0 when finished, null when nothing finished recently.</summary>
    internal static double? Eta(RegionProgress p, Throughput rate) =>
        p.TargetsRemaining <= 0 ? 0
        : rate.TargetsPerMinute > 0 ? Math.Round(p.TargetsRemaining / rate.TargetsPerMinute * 60, 1)
        : null;

    private static void Kpi(StringBuilder html, string id, string value, string label) =>
        html.Append("<div class=\"kpi\" id=\"").Append(id).Append("\"><b>").Text(value).Append("</b><span>").Text(label).Append("</span></div>");
}
