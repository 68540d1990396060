namespace XmppScanCluster.Coordinator.Reports.Site;

/// <summary>
/// The one look of the census site and the coordinator's live dashboard: a stylesheet both link (the site writes
/// it as <c>site.css</c>, the coordinator serves it at <c>/dashboard/site.css</c>). Nothing external: no fonts, no
/// CDN, so pages work from <c>file://</c> and offline.
/// </summary>
public static class SiteLook
{
    public const string FileName = "site.css";

    public const string Css = """
:root{--fg:#1d2330;--muted:#667085;--line:#d9dee7;--bg:#f6f7f9;--card:#fff;--accent:#1565c0;--good:#2e7d32;--warn:#ef6c00;--bad:#c62828;--trust:#6a1b9a}
*{box-sizing:border-box}body{font-family:system-ui,sans-serif;margin:0;color:var(--fg);background:var(--bg)}
header.site{background:#10243e;color:#fff;padding:.6em 1.2em;display:flex;gap:1.5em;align-items:baseline;flex-wrap:wrap}
header.site a{color:#cfe0ff;text-decoration:none}header.site h1{font-size:1.2em;margin:0}
main{max-width:1100px;margin:0 auto;padding:1em}
.meta{color:var(--muted);font-size:.9em}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:1em}
.card{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.8em 1em}
.card h2{font-size:1em;margin:.1em 0 .6em}
.chart{display:flex;gap:1em;align-items:flex-start}.chart svg{flex:0 0 auto}
table.nums{border-collapse:collapse;font-size:.85em}table.nums td,table.nums th{padding:.1em .4em;text-align:left}
table.nums td.n{text-align:right;font-variant-numeric:tabular-nums}
.kpis{display:flex;gap:1em;flex-wrap:wrap;margin:.5em 0 1em}.kpi{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.5em 1em}
.kpi b{display:block;font-size:1.6em}.kpi span{color:var(--muted);font-size:.85em}
table.list{border-collapse:collapse;width:100%;background:var(--card);font-size:.9em}
table.list th,table.list td{border-bottom:1px solid var(--line);padding:.3em .5em;text-align:left}
table.list th{cursor:pointer;user-select:none;background:#eef1f5}
.grade-A,.grade-Ap,.grade-Am{color:var(--good)}.grade-B,.grade-C{color:var(--warn)}.grade-D,.grade-E,.grade-F{color:var(--bad)}.grade-T,.grade-M{color:var(--trust)}
.good{color:var(--good)}.bad{color:var(--bad)}.warn{color:var(--warn)}
""";
}
