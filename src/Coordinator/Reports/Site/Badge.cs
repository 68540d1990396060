using System.Text;
using static XmppScanCluster.Coordinator.Reports.HtmlReportRenderer;

namespace XmppScanCluster.Coordinator.Reports.Site;

/// <summary>
/// A shields-style SVG badge of a domain's grades: a grey "xmpp tls" label, then one coloured segment per mode
/// ("c2s A", "s2s T"). Text widths are estimated (no font metrics at generation time): 7 px per character at
/// 11 px Verdana-ish, as shields.io's own fallback does. The domain appears only in the escaped title.
/// </summary>
public static class Badge
{
    private const int Height = 20, Padding = 6, CharWidth = 7;

    /// <param name="domain">For the accessible title (escaped).</param>
    /// <param name="grades">(mode, grade or null) in the order shown.</param>
    public static string Render(string domain, IReadOnlyList<(string Mode, string? Grade)> grades)
    {
        var segments = new List<(string Text, string Fill)> { ("xmpp tls", "#555") };
        segments.AddRange(grades.Select(g => ($"{g.Mode} {g.Grade ?? "–"}", GradeStyle.Colour(g.Grade))));
        var widths = segments.Select(s => s.Text.Length * CharWidth + 2 * Padding).ToList();
        var total = widths.Sum();
        var title = E($"{domain}: " + string.Join(", ", grades.Select(g => $"{g.Mode} {g.Grade ?? "not responding"}")));
        var svg = new StringBuilder();
        svg.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").Append(total).Append("\" height=\"").Append(Height)
            .Append("\" role=\"img\" aria-label=\"").Append(title).Append("\"><title>").Append(title).Append("</title>")
            .Append("<clipPath id=\"r\"><rect width=\"").Append(total).Append("\" height=\"").Append(Height).Append("\" rx=\"3\"/></clipPath><g clip-path=\"url(#r)\">");
        var x = 0;
        for (var i = 0; i < segments.Count; i++)
        {
            svg.Append("<rect x=\"").Append(x).Append("\" width=\"").Append(widths[i]).Append("\" height=\"").Append(Height)
                .Append("\" fill=\"").Append(segments[i].Fill).Append("\"/>");
            x += widths[i];
        }

        svg.Append("</g><g fill=\"#fff\" text-anchor=\"middle\" font-family=\"Verdana,DejaVu Sans,sans-serif\" font-size=\"11\">");
        x = 0;
        for (var i = 0; i < segments.Count; i++)
        {
            svg.Append("<text x=\"").Append(x + widths[i] / 2).Append("\" y=\"14\">").Append(E(segments[i].Text)).Append("</text>");
            x += widths[i];
        }

        svg.Append("</g></svg>\n");
        return svg.ToString();
    }
}
