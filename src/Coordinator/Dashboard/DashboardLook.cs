namespace XmppScanCluster.Coordinator.Dashboard;

/// <summary>
/// <c>/dashboard/dashboard.css</c>: the few rules only the live page needs (connection state, progress bars, the selected
/// census), on top of the shared <see cref="Reports.Site.SiteLook"/> stylesheet, which stays the one source of the look.
/// </summary>
internal static class DashboardLook
{
    public const string FileName = "dashboard.css";

    public const string Css = """
.conn{margin-left:auto;padding:.1em .6em;border-radius:1em;font-size:.85em}
.conn-live{background:var(--good);color:#fff}.conn-lost{background:var(--bad);color:#fff}
header.site .meta{color:#cfe0ff}
section.panel{margin:1em 0}section.panel h2{font-size:1.1em;margin:.4em 0}
progress{width:10em;height:.9em;vertical-align:middle;accent-color:var(--accent)}
tr.selected td{background:#eaf2fd}td.n{text-align:right;font-variant-numeric:tabular-nums}
.lease{font-size:.85em;white-space:nowrap}.regions a{margin-right:.6em}
""";
}
