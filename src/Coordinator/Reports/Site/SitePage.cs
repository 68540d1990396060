using System.Text;
using static XmppScanCluster.Coordinator.Reports.HtmlReportRenderer;

namespace XmppScanCluster.Coordinator.Reports.Site;

/// <summary>
/// The frame of every site page: the shared header and navigation, links relative to the page (so the site
/// works from <c>file://</c> and under any path of a web server), and a Content-Security-Policy that allows only
/// the site's own scripts and styles — a second wall behind the escaping, should a server's text ever slip
/// through unescaped, and a guarantee that a page fetches nothing from the network.
/// </summary>
internal static class SitePage
{
    private const string Csp = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'";

    /// <summary>The navigation entries: id, file, label.</summary>
    private static readonly (string Id, string File, string Label)[] Nav =
        [("overview", "index.html", "Overview"), ("domains", "domains.html", "Domains"), ("compare", "compare.html", "Comparison")];

    /// <param name="title">The page title (escaped here).</param>
    /// <param name="site">Census name and whether a comparison page exists.</param>
    /// <param name="current">The navigation id of this page, or null.</param>
    /// <param name="depth">0 for pages at the site root, 1 for domain/…</param>
    /// <param name="body">The page's HTML, already escaped.</param>
    /// <param name="scripts">Script files relative to the site root, loaded at the end of the body.</param>
    /// <param name="reportCss">Whether to link report.css (the per-server report's sections).</param>
    public static string Wrap(string title, SiteInfo site, string? current, int depth, string body, IReadOnlyList<string> scripts, bool reportCss = false)
    {
        var up = string.Concat(Enumerable.Repeat("../", depth));
        var html = new StringBuilder(body.Length + 2048);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"").Append(Csp).Append("\">")
            .Append("<meta name=\"referrer\" content=\"no-referrer\">")
            .Append("<title>").Append(E(title)).Append("</title>")
            .Append("<link rel=\"stylesheet\" href=\"").Append(up).Append(SiteLook.FileName).Append("\">");
        if (reportCss)
        {
            html.Append("<link rel=\"stylesheet\" href=\"").Append(up).Append(SiteFiles.ReportCss).Append("\">");
        }

        html.Append("</head><body>\n<header class=\"site\"><h1><a href=\"").Append(up).Append("index.html\">XMPP TLS census</a></h1><nav>");
        foreach (var (id, file, label) in Nav)
        {
            if (id == "compare" && !site.HasComparison)
            {
                continue;
            }

            html.Append("<a href=\"").Append(up).Append(file).Append('"').Append(id == current ? " aria-current=\"page\"" : "").Append('>')
                .Append(label).Append("</a>");
        }

        html.Append("</nav><span class=\"census\">").Append(E(site.CensusName)).Append("</span></header>\n<main>\n").Append(body)
            .Append("</main>\n<footer class=\"site\">").Append(E(site.Footer)).Append("</footer>\n");
        foreach (var script in scripts)
        {
            html.Append("<script src=\"").Append(up).Append(script).Append("\"></script>\n");
        }

        html.Append("</body></html>\n");
        return html.ToString();
    }
}

/// <summary>What every page's frame shows about the site.</summary>
/// <param name="CensusName">The census (untrusted only as far as an operator chose it; escaped).</param>
/// <param name="HasComparison">Whether compare.html exists.</param>
/// <param name="Footer">One line: generator, time, policy.</param>
internal sealed record SiteInfo(string CensusName, bool HasComparison, string Footer);
