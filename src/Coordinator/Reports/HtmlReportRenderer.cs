using System.Globalization;
using System.Net;
using System.Text;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.Coordinator.Reports;

/// <summary>
/// A self-contained HTML page for a scan, in the spirit of the IM Observatory's result page: per domain and mode
/// the grade with its category bars and reasons, the other policy's grade, the XMPP ratings, then DNS and per
/// endpoint XMPP, protocols, suites, key exchange, certificates and weaknesses. Inline CSS, no script, no external
/// resource; every string that came from a server (or DNS) is HTML-escaped. Reused by the census site.
/// </summary>
public static class HtmlReportRenderer
{
    public static string Render(ScanReport report, string policy)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(E("XMPP TLS report: " + string.Join(", ", report.Domains.Select(d => d.Domain).Distinct()))).Append("</title>")
            .Append("<style>").Append(PageCss).Append(SectionCss).Append("</style></head><body>\n")
            .Append("<header><h1>XMPP TLS report</h1><p class=\"meta\">")
            .Append(E($"{report.Tool} {report.ToolVersion} · {report.StartedAt:yyyy-MM-dd HH:mm:ss} UTC · schema {report.SchemaVersion} · policy {policy}"))
            .Append("</p></header>\n");
        Domains(html, report.Domains, report.Gradings ?? [], policy);
        html.Append("<footer>Grades are computed from the stored facts by the named policy; see --json for every fact and both gradings.</footer>\n</body></html>\n");
        return html.ToString();
    }

    /// <summary>The per-domain sections (grade, ratings, DNS, endpoints) without page chrome: the census site
    /// wraps them in its own header.</summary>
    internal static void Domains(StringBuilder html, IReadOnlyList<DomainReport> domains, IReadOnlyList<GradingEntry> gradings, string policy)
    {
        foreach (var domain in domains)
        {
            var mine = gradings.Where(g => g.Domain == domain.Domain && g.Mode == domain.Mode).ToList();
            html.Append("<section class=\"domain\"><h2>").Append(E(domain.Domain)).Append(" <span class=\"mode\">")
                .Append(E(domain.Mode.Name())).Append("</span></h2>\n");
            if (mine.FirstOrDefault(g => g.Endpoint is null && g.Result.Policy == policy) is { } main)
            {
                Grade(html, main.Result);
                foreach (var other in mine.Where(g => g.Endpoint is null && g.Result.Policy != policy))
                {
                    html.Append("<p class=\"other\">").Append(E(other.Result.Policy)).Append(": <b>").Append(E(other.Result.Grade)).Append("</b>")
                        .Append(other.Result.Grade != other.Result.GradeIgnoringTrust ? E($" ({other.Result.GradeIgnoringTrust} if trust issues are ignored)") : "")
                        .Append(E($", score {Num(other.Result.Score)}")).Append("</p>\n");
                }

                Ratings(html, main.Result.XmppRatings);
            }
            else if (domain.Failure is { } failure)
            {
                html.Append("<p class=\"fail\">").Append(E(failure.Words())).Append("</p>\n");
            }

            HtmlSections.Dns(html, domain.Dns);
            foreach (var endpoint in domain.Endpoints)
            {
                var label = Grading.GradingInput.From(domain, endpoint).Endpoint;
                var grade = mine.Count(g => g.Endpoint is not null && g.Result.Policy == policy) > 1
                    ? mine.FirstOrDefault(g => g.Endpoint == label && g.Result.Policy == policy)?.Result
                    : null;
                HtmlSections.Endpoint(html, domain, endpoint, grade);
            }

            html.Append("</section>\n");
        }
    }

    internal static void Grade(StringBuilder html, GradeResult grade)
    {
        html.Append("<div class=\"grade\"><div class=\"letter ").Append(LetterClass(grade.Grade)).Append("\">").Append(E(grade.Grade)).Append("</div><div class=\"scores\">");
        if (grade.Grade != grade.GradeIgnoringTrust)
        {
            html.Append("<p class=\"ignoring\">").Append(E($"{grade.GradeIgnoringTrust} if trust issues are ignored")).Append("</p>");
        }

        foreach (var c in grade.Categories)
        {
            var pct = Math.Clamp(c.Score, 0, 100).ToString("0.#", CultureInfo.InvariantCulture);
            html.Append("<div class=\"cat\"><span class=\"name\">").Append(E(Output.GradeSection.Label(c.Category))).Append("</span>")
                .Append("<span class=\"bar\"><span style=\"width:").Append(pct).Append("%\"></span></span><span class=\"num\">")
                .Append(E(Num(c.Score))).Append("</span><span class=\"basis\">").Append(E(c.Basis)).Append("</span></div>");
        }

        html.Append("<p class=\"policy\">").Append(E($"{grade.Policy} v{grade.PolicyVersion} · score {Num(grade.Score)}")).Append("</p>");
        if (grade.SetBy is { } setBy)
        {
            html.Append("<p class=\"policy setby\">").Append(E("set by " + setBy)).Append("</p>");
        }

        html.Append("</div></div>\n");
        if (grade.Caps.Count > 0)
        {
            html.Append("<ul class=\"caps\">");
            foreach (var cap in grade.Caps)
            {
                html.Append("<li><span class=\"cap ").Append(LetterClass(cap.Cap)).Append("\">").Append(E(cap.Cap)).Append("</span> ")
                    .Append(E(cap.Reason)).Append(" <code>").Append(E(cap.Rule)).Append("</code></li>");
            }

            html.Append("</ul>\n");
        }

        if (grade.NotTested.Count > 0)
        {
            html.Append("<p class=\"nottested\">Not tested: ").Append(E(string.Join(", ", grade.NotTested))).Append("</p>\n");
        }
    }

    private static void Ratings(StringBuilder html, IReadOnlyList<XmppRating> ratings)
    {
        html.Append("<h3>XMPP security</h3><table class=\"ratings\">");
        foreach (var r in ratings)
        {
            html.Append("<tr><td class=\"r-").Append(r.Level.ToString().ToLowerInvariant()).Append("\">").Append(E(Output.Words.Of(r.Level)))
                .Append("</td><th>").Append(E(r.Name.Replace('_', ' '))).Append("</th><td>").Append(E(r.Reason)).Append("</td></tr>");
        }

        html.Append("</table>\n");
    }

    internal static string LetterClass(string letter) => letter switch
    {
        "A+" or "A" => "g-a",
        "A-" => "g-a",
        "B" or "C" => "g-b",
        "T" or "M" => "g-t",
        _ => "g-f",
    };

    internal static string Num(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>HTML-escapes text (element content and quoted attribute values).</summary>
    internal static string E(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    /// <summary>The standalone page's body; the census site has its own (site.css).</summary>
    private const string PageCss = """
body{font-family:system-ui,sans-serif;margin:0 auto;max-width:1000px;padding:1em;color:#222;background:#fafafa}
h1{margin:.2em 0}.meta,footer{color:#666;font-size:.9em}

""";

    /// <summary>The report's sections, also written as the census site's report.css for its domain pages.</summary>
    internal const string SectionCss = """
h2{border-bottom:2px solid #ccc;padding-bottom:.2em}.mode{color:#777;font-size:.7em}
.policy,.other{color:#666;font-size:.9em}section.domain{background:#fff;padding:1em;margin:1em 0;border:1px solid #ddd}
.grade{display:flex;gap:1.5em;align-items:center}.letter{font-size:4em;font-weight:bold;width:1.6em;height:1.6em;line-height:1.6em;text-align:center;color:#fff;border-radius:.1em}
.g-a{background:#2e7d32}.g-b{background:#f9a825}.g-f{background:#c62828}.g-t{background:#6a1b9a}
.cap{color:#fff;padding:0 .4em;border-radius:.2em;font-weight:bold}.scores{flex:1}
.cat{display:flex;gap:.6em;align-items:center;margin:.2em 0}.cat .name{width:9em}.cat .num{width:3em;text-align:right}.cat .basis{color:#666;font-size:.85em}
.bar{display:inline-block;width:16em;height:.9em;background:#e0e0e0}.bar span{display:block;height:100%;background:#1565c0}
ul.caps{list-style:none;padding:0}ul.caps li{margin:.3em 0}code{color:#777;font-size:.8em}
table{border-collapse:collapse;margin:.5em 0;font-size:.9em}td,th{border:1px solid #ddd;padding:.2em .5em;text-align:left;vertical-align:top}
.r-good{color:#2e7d32}.r-bad{color:#c62828}.r-warning{color:#ef6c00}.r-nottested,.r-notapplicable{color:#777}
.yes{color:#2e7d32}.no{color:#777}.weak{color:#c62828}.fail{color:#c62828}.endpoint{border-top:1px dashed #ccc;margin-top:1em}
""";
}
