using System.Text;
using XmppScanCluster.Coordinator.Store;

namespace XmppScanCluster.Coordinator.Dashboard;

/// <summary>
/// The regions' clusters as their feeder singletons last reported them: per member its address, roles, status,
/// reachability, and the sharding shards and address-shard entities it hosts; then the throughput per node on the
/// selected census (from the node named in its events). Addresses, roles and node ids are chosen by whoever runs a
/// node: escaped like the rest.
/// </summary>
internal static class NodesHtml
{
    /// <summary>A report older than this is shown stale: the region's singleton reports every few seconds.</summary>
    public static readonly TimeSpan ReportGrace = TimeSpan.FromSeconds(60);

    public static string Render(IReadOnlyList<ClusterMember> members, ThroughputSnapshot throughput, DateTimeOffset now)
    {
        var html = new StringBuilder("<h2>Scan clusters</h2>");
        if (members.Count == 0)
        {
            html.Append("<p class=\"meta\">no cluster has reported</p>");
        }
        else
        {
            html.Append("<table class=\"list\" id=\"nodes\">")
                .Th("member", "region", "roles", "status", "reachable", "shards", "entities", "reported");
            foreach (var m in members.OrderBy(m => m.Region, StringComparer.Ordinal).ThenBy(m => m.Address, StringComparer.Ordinal))
            {
                var stale = now - m.ReportedAt > ReportGrace;
                html.Append("<tr>").Td(m.Address).Td(m.Region).Td(m.Roles).Td(m.Status, m.Status == "up" ? "good" : "meta")
                    .Td(m.Reachable ? "yes" : "no", m.Reachable ? "good" : "bad").TdNum(m.Shards).TdNum(m.Entities)
                    .Td($"{Html.Time(m.ReportedAt)} ({Html.Ago(m.ReportedAt, now)})", stale ? "bad" : "meta").Append("</tr>");
            }

            html.Append("</table>");
        }

        if (throughput.ByNode.Count > 0)
        {
            html.Append("<table class=\"list\" id=\"node-throughput\">").Th("node", "targets/min", "events/s");
            foreach (var (node, rate) in throughput.ByNode.OrderBy(n => n.Key, StringComparer.Ordinal))
            {
                html.Append("<tr>").Td(node).TdNum(rate.TargetsPerMinute).TdNum(rate.EventsPerSecond).Append("</tr>");
            }

            html.Append("</table>");
        }

        return html.Append("<p class=\"meta\">throughput on the selected census over the last ")
            .Num(throughput.Window.TotalSeconds, "0").Append(" s</p>").ToString();
    }
}
