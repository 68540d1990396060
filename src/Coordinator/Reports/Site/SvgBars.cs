using System.Globalization;
using System.Text;
using static XmppScanCluster.Coordinator.Reports.HtmlReportRenderer;

namespace XmppScanCluster.Coordinator.Reports.Site;

/// <summary>
/// Bar charts drawn by the project as inline SVG (no charting library, nothing fetched): a chart is a table whose
/// rows are label · bar · count · share, so every bar has its numbers right beside it and long labels never push
/// the numbers out of line. Each bar carries <c>data-key</c> and <c>data-count</c>, so a test (or a script) can read
/// the chart back as numbers.
/// </summary>
internal static class SvgBars
{
    private const int Width = 120;

    /// <summary>One row: the label, one bar per value (stacked thinly when several), then each value's count and share.</summary>
    /// <param name="html">Where to write.</param>
    /// <param name="key">The statistic's key (data-key).</param>
    /// <param name="label">What people read (escaped here).</param>
    /// <param name="values">(count, share 0–1, fill, series name or null) per bar.</param>
    /// <param name="labelClass">A CSS class for the label cell, or null.</param>
    /// <param name="title">What the label shows on hover (the full name of a shortened label); default the label.</param>
    public static void Row(StringBuilder html, string key, string label, IReadOnlyList<(int Count, double Share, string Fill, string? Series)> values,
        string? labelClass = null, string? title = null)
    {
        const int barHeight = 8, gap = 2;
        var height = values.Count == 1 ? 12 : values.Count * (barHeight + gap);
        html.Append("<tr data-key=\"").Append(E(key)).Append("\"><td class=\"label").Append(labelClass is null ? "" : " " + labelClass)
            .Append("\" title=\"").Append(E(title ?? label)).Append("\">").Append(E(label)).Append("</td><td class=\"bar\"><svg width=\"").Append(Width)
            .Append("\" height=\"").Append(height).Append("\" viewBox=\"0 0 ").Append(Width).Append(' ').Append(height).Append("\" aria-hidden=\"true\">");
        for (var i = 0; i < values.Count; i++)
        {
            var (count, share, fill, series) = values[i];
            // A non-zero count always gets a visible sliver.
            var width = count == 0 ? 0 : Math.Max(2, (int)Math.Round(Width * Math.Clamp(share, 0, 1)));
            html.Append("<rect x=\"0\" y=\"").Append(values.Count == 1 ? 0 : i * (barHeight + gap)).Append("\" width=\"").Append(width)
                .Append("\" height=\"").Append(values.Count == 1 ? 12 : barHeight).Append("\" rx=\"1\" fill=\"").Append(fill).Append('"')
                .Append(series is null ? "" : $" data-series=\"{series}\"").Append(" data-key=\"").Append(E(key)).Append("\" data-count=\"")
                .Append(count.ToString(CultureInfo.InvariantCulture)).Append("\"/>");
        }

        html.Append("</svg></td>");
        foreach (var (count, share, _, series) in values)
        {
            html.Append("<td class=\"n\"").Append(series is null ? "" : $" data-series=\"{series}\"").Append(" data-count=\"")
                .Append(count.ToString(CultureInfo.InvariantCulture)).Append("\">").Append(count.ToString(CultureInfo.InvariantCulture))
                .Append("</td><td class=\"n pct\">").Append((share * 100).ToString("0.#", CultureInfo.InvariantCulture)).Append(" %</td>");
        }

        html.Append("</tr>");
    }
}
