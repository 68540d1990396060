using System.Globalization;
using System.Text;
using XmppScanCluster.Coordinator.Reports;
using XmppScanCluster.Coordinator.Reports.Site;

namespace XmppScanCluster.Coordinator.Dashboard;

/// <summary>
/// The dashboard's small HTML vocabulary. Every text goes through <see cref="Text"/> (HTML-escaped, safe in element
/// content and in double-quoted attributes): domains, certificate fields, node ids and regions come from scanned
/// servers or from nodes and are never trusted. Numbers are formatted invariantly.
/// </summary>
internal static class Html
{
    public static StringBuilder Text(this StringBuilder html, string? text) => html.Append(HtmlReportRenderer.E(text));

    public static StringBuilder Num(this StringBuilder html, double value, string format = "0.##") =>
        html.Append(value.ToString(format, CultureInfo.InvariantCulture));

    /// <summary>A cell with escaped text.</summary>
    public static StringBuilder Td(this StringBuilder html, string? text, string? cssClass = null)
    {
        html.Append(cssClass is null ? "<td>" : "<td class=\"" + cssClass + "\">");
        return html.Text(text).Append("</td>");
    }

    /// <summary>A right-aligned number cell.</summary>
    public static StringBuilder TdNum(this StringBuilder html, double value, string format = "0.##") =>
        html.Append("<td class=\"n\">").Num(value, format).Append("</td>");

    public static StringBuilder Th(this StringBuilder html, params string[] headers)
    {
        html.Append("<tr>");
        foreach (var h in headers)
        {
            html.Append("<th>").Text(h).Append("</th>");
        }

        return html.Append("</tr>");
    }

    /// <summary>A native progress bar (no inline style: the page's Content-Security-Policy forbids it) and its percentage.</summary>
    public static StringBuilder Progress(this StringBuilder html, int finished, int total)
    {
        var share = total > 0 ? 100.0 * finished / total : 0;
        return html.Append("<progress max=\"").Append(Math.Max(total, 1).ToString(CultureInfo.InvariantCulture)).Append("\" value=\"")
            .Append(finished.ToString(CultureInfo.InvariantCulture)).Append("\"></progress> ").Num(share, "0.#").Append(" %");
    }

    /// <summary>h:mm:ss with unbounded hours (as <c>xmppscan ctl</c> prints it); "—" when unknown.</summary>
    public static string Eta(double? seconds) => seconds is { } s && double.IsFinite(s) && s >= 0
        ? FormattableString.Invariant($"{(long)(s / 3600)}:{(long)(s % 3600 / 60):00}:{(long)(s % 60):00}")
        : "—";

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>"12 s ago", "3 min ago", "2 h ago".</summary>
    public static string Ago(DateTimeOffset at, DateTimeOffset now)
    {
        var s = Math.Max(0, (now - at).TotalSeconds);
        return s < 120 ? FormattableString.Invariant($"{(int)s} s ago")
            : s < 7200 ? FormattableString.Invariant($"{(int)(s / 60)} min ago")
            : FormattableString.Invariant($"{(int)(s / 3600)} h ago");
    }

    /// <summary>A grade as the site shows it: a coloured letter badge (<see cref="GradeStyle"/>); "—" when there is nothing
    /// to grade. Only letters a policy gives become a class name.</summary>
    public static StringBuilder Grade(this StringBuilder html, string? letter)
    {
        var known = letter is not null && GradeStyle.Letters.Contains(letter);
        return html.Append("<span class=\"gl ").Append(GradeStyle.CssClass(known ? letter : null)).Append("\">").Text(letter ?? "—").Append("</span>");
    }
}
