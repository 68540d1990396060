namespace XmppScanCluster.Coordinator.Reports.Site;

/// <summary>
/// The one look of the census site and the coordinator's live dashboard: a stylesheet both link (the site writes
/// it as <c>site.css</c>, the coordinator serves it at <c>/dashboard/site.css</c>). Nothing external: no fonts, no
/// CDN, so pages work from <c>file://</c> and offline. Grade classes (<c>gAP</c>, <c>gA</c>, … <c>gN</c>) follow
/// <see cref="GradeStyle"/>.
/// </summary>
public static class SiteLook
{
    public const string FileName = "site.css";

    public const string Css = """
:root{--fg:#1d2330;--muted:#667085;--line:#d9dee7;--bg:#f6f7f9;--card:#fff;--accent:#1565c0;--good:#2e7d32;--warn:#ef6c00;--bad:#c62828;--trust:#6a1b9a}
*{box-sizing:border-box}body{font-family:system-ui,sans-serif;margin:0;color:var(--fg);background:var(--bg)}
header.site{background:#10243e;color:#fff;padding:.6em 1.2em;display:flex;gap:1.5em;align-items:baseline;flex-wrap:wrap}
header.site a{color:#cfe0ff;text-decoration:none}header.site a:hover{text-decoration:underline}header.site h1{font-size:1.2em;margin:0}
header.site nav{display:flex;gap:1em;flex-wrap:wrap}header.site a[aria-current]{color:#fff;font-weight:600}
main{max-width:1200px;margin:0 auto;padding:1em}main h1{font-size:1.5em;margin:.2em 0}
footer.site{max-width:1200px;margin:0 auto;padding:1em;color:var(--muted);font-size:.85em}
.meta{color:var(--muted);font-size:.9em}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(360px,1fr));gap:1em}
.card{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.8em 1em}
@media (min-width:800px){#grades{grid-column:span 2}}#grades td.label{white-space:nowrap;overflow-wrap:normal}
.card h2{font-size:1em;margin:.1em 0 .6em}
table.chart{border-collapse:collapse;font-size:.85em;width:100%;table-layout:auto}
table.chart td,table.chart th{padding:.1em .35em;text-align:left;white-space:nowrap;vertical-align:middle}
table.chart thead th{color:var(--muted);font-weight:normal;font-size:.85em;text-align:right}
table.chart td.label{max-width:0;width:100%;white-space:normal;overflow-wrap:anywhere}table.chart td.bar{width:124px;line-height:0}
table.chart td.n{text-align:right;font-variant-numeric:tabular-nums}table.chart td.pct{color:var(--muted);font-size:.9em}
td.label.gAP,td.label.gA,td.label.gAM{color:var(--good);font-weight:700}td.label.gB,td.label.gC{color:var(--warn);font-weight:700}
td.label.gD,td.label.gE,td.label.gF{color:var(--bad);font-weight:700}td.label.gT,td.label.gM{color:var(--trust);font-weight:700}
table.nums{border-collapse:collapse;font-size:.85em}table.nums td,table.nums th{padding:.1em .4em;text-align:left}
table.nums td.n{text-align:right;font-variant-numeric:tabular-nums}.card code{font-size:.85em}
.kpis{display:flex;gap:1em;flex-wrap:wrap;margin:.5em 0 1em}.kpi{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.5em 1em}
.kpi b{display:block;font-size:1.6em}.kpi span{color:var(--muted);font-size:.85em}
.filters{display:flex;gap:.8em;flex-wrap:wrap;align-items:center;margin:.5em 0}
.filters input,.filters select{font:inherit;padding:.25em .4em;border:1px solid var(--line);border-radius:4px}.filters input{min-width:18em}
table.list{border-collapse:collapse;width:100%;background:var(--card);font-size:.9em}
table.list th,table.list td{border-bottom:1px solid var(--line);padding:.3em .5em;text-align:left}
table.list th{cursor:pointer;user-select:none;background:#eef1f5;white-space:nowrap}
table.list th[aria-sort=ascending]::after{content:" ▲"}table.list th[aria-sort=descending]::after{content:" ▼"}
table.list td.n{text-align:right;font-variant-numeric:tabular-nums}table.list tr:hover td{background:#f3f6fb}table.list td:last-child{white-space:nowrap}
button.more{margin:.8em 0;font:inherit;padding:.3em 1em}
.gl{display:inline-block;min-width:2.2em;text-align:center;font-weight:700;color:#fff;border-radius:3px;padding:0 .3em}
.gl.gAP,.gl.gA{background:#2e7d32}.gl.gAM{background:#558b2f}.gl.gB{background:#f9a825}.gl.gC{background:#ef6c00}
.gl.gD,.gl.gE{background:#d84315}.gl.gF{background:#c62828}.gl.gT,.gl.gM{background:#6a1b9a}.gl.gN{background:#9e9e9e}
td.gAP,td.gA,td.gAM{color:var(--good);font-weight:600}td.gB,td.gC{color:var(--warn);font-weight:600}
td.gD,td.gE,td.gF{color:var(--bad);font-weight:600}td.gT,td.gM{color:var(--trust);font-weight:600}
.grade-A,.grade-Ap,.grade-Am{color:var(--good)}.grade-B,.grade-C{color:var(--warn)}.grade-D,.grade-E,.grade-F{color:var(--bad)}.grade-T,.grade-M{color:var(--trust)}
.good{color:var(--good)}.bad{color:var(--bad)}.warn{color:var(--warn)}
.fix-first ol{margin:.3em 0 0;padding-left:1.4em}.fix-first li{margin:.35em 0}.fix-first b{display:inline-block;min-width:1.6em}
.fix-first b.gF,.fix-first b.gE,.fix-first b.gD{color:var(--bad)}.fix-first b.gT,.fix-first b.gM{color:var(--trust)}.fix-first b.gB,.fix-first b.gC{color:var(--warn)}
.fix{font-size:.9em;margin:.15em 0 0;color:var(--muted)}.fix code{color:inherit;background:#eef1f5;padding:0 .25em;border-radius:3px;overflow-wrap:anywhere}
.badges{margin:.5em 0}.changes td:first-child{white-space:nowrap}.cards+section.card,.cards+.card{margin-top:1em}
""";
}
