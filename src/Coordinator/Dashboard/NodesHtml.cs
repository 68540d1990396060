using System.Text;
using XmppScanCluster.Coordinator.Store;

namespace XmppScanCluster.Coordinator.Dashboard;

/// <summary>
/// The scan nodes: region, last heartbeat, alive / expired / stopped, the leases each holds (any census) and its
/// throughput on the selected census. Node ids and regions are chosen by whoever runs a node: escaped like the rest.
/// </summary>
internal static class NodesHtml
{
    /// <summary>A node whose last heartbeat is older than this is shown expired. Nodes beat every
    /// min(10 s, lease/3), so a minute is several missed beats, not one late one.</summary>
    public static readonly TimeSpan HeartbeatGrace = TimeSpan.FromSeconds(60);

    public static string Render(IReadOnlyList<NodeInfo> nodes, IReadOnlyList<ShardLease> leases, IReadOnlyDictionary<Guid, string> censusNames,
        ThroughputSnapshot throughput, DateTimeOffset now)
    {
        var html = new StringBuilder("<h2>Scan nodes</h2>");
        if (nodes.Count == 0)
        {
            return html.Append("<p class=\"meta\">no node registered</p>").ToString();
        }

        html.Append("<table class=\"list\" id=\"nodes\">")
            .Th("node", "region", "last heartbeat", "state", "leases", "targets/min", "events/s");
        foreach (var node in nodes.OrderBy(n => n.Region, StringComparer.Ordinal).ThenBy(n => n.NodeId, StringComparer.Ordinal))
        {
            var state = State(node, now);
            var rate = throughput.Node(node.NodeId);
            html.Append("<tr>").Td(node.NodeId).Td(node.Region).Td($"{Html.Time(node.HeartbeatAt)} ({Html.Ago(node.HeartbeatAt, now)})")
                .Td(state, state == "alive" ? "good" : state == "expired" ? "bad" : "meta").Append("<td>");
            var held = leases.Where(l => l.NodeId == node.NodeId).OrderBy(l => l.ShardId).ToList();
            if (held.Count == 0)
            {
                html.Append("<span class=\"meta\">none</span>");
            }

            foreach (var lease in held)
            {
                var name = censusNames.TryGetValue(lease.CensusId, out var n) ? n : lease.CensusId.ToString();
                var left = (lease.ExpiresAt - now).TotalSeconds;
                html.Append("<div class=\"lease\">").Text($"{name}/{lease.Region}/{lease.ShardKey}").Append(' ')
                    .Append(left >= 0 ? "<span class=\"meta\">" : "<span class=\"bad\">")
                    .Text(left >= 0 ? FormattableString.Invariant($"{(int)left} s left") : "expired").Append("</span></div>");
            }

            html.Append("</td>").TdNum(rate.TargetsPerMinute).TdNum(rate.EventsPerSecond).Append("</tr>");
        }

        return html.Append("</table><p class=\"meta\">throughput on the selected census over the last ")
            .Num(throughput.Window.TotalSeconds, "0").Append(" s</p>").ToString();
    }

    internal static string State(NodeInfo node, DateTimeOffset now) =>
        node.Stopped ? "stopped" : now - node.HeartbeatAt <= HeartbeatGrace ? "alive" : "expired";
}
