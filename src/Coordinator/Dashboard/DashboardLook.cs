namespace XmppScanCluster.Coordinator.Dashboard;

/// <summary>
/// <c>/dashboard/dashboard.css</c>: the few rules only the live page needs (connection state, progress bars, the selected
/// census), on top of the shared <see cref="Reports.Site.SiteLook"/> stylesheet, which stays the one source of the look.
/// </summary>
internal static class DashboardLook
{
    public const string FileName = "dashboard.css";

    public const string IconName = "icon.svg";

    /// <summary>The tab icon (a padlock), served by the coordinator: without one the browser asks for /favicon.ico and
    /// logs the 404 as a console error on every load.</summary>
    public const string Icon = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect x="2" y="7" width="12" height="8" rx="1" fill="#1565c0"/><path d="M5 7V5a3 3 0 0 1 6 0v2" fill="none" stroke="#10243e" stroke-width="2"/></svg>""";

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
