using System.Text;
using XmppScanCluster.Shared.Results;
using static XmppScanCluster.Coordinator.Reports.HtmlReportRenderer;

namespace XmppScanCluster.Coordinator.Reports.Site;

/// <summary>
/// The per-domain page's "what to fix first": every finding that caps the letter, across the domain's modes,
/// ordered by its grade impact (the letter it caps at: F and the trust caps first, A- last), each with the
/// configuration line that fixes it on Prosody and ejabberd, or the action in words.
/// </summary>
internal static class FixFirstList
{
    /// <summary>Letters from the heaviest cap to the lightest: fixing the first finding raises the grade most.</summary>
    private static readonly string[] Impact = ["F", "T", "M", "E", "D", "C", "B", "A-"];

    public static IReadOnlyList<(AppliedCap Cap, IReadOnlyList<string> Modes)> Items(IEnumerable<(string Mode, GradeResult Grade)> grades)
    {
        var byRule = new Dictionary<string, (AppliedCap Cap, List<string> Modes)>(StringComparer.Ordinal);
        foreach (var (mode, grade) in grades)
        {
            foreach (var cap in grade.Caps.Where(c => Array.IndexOf(Impact, c.Cap) >= 0))
            {
                if (!byRule.TryGetValue(cap.Rule, out var known))
                {
                    byRule[cap.Rule] = (cap, [mode]);
                }
                else
                {
                    known.Modes.Add(mode);
                    if (Array.IndexOf(Impact, cap.Cap) < Array.IndexOf(Impact, known.Cap.Cap))
                    {
                        byRule[cap.Rule] = (cap, known.Modes);
                    }
                }
            }
        }

        return [.. byRule.Values.OrderBy(v => Array.IndexOf(Impact, v.Cap.Cap)).Select(v => (v.Cap, (IReadOnlyList<string>)v.Modes))];
    }

    public static void Render(StringBuilder html, IEnumerable<(string Mode, GradeResult Grade)> grades)
    {
        var items = Items(grades);
        html.Append("<section class=\"card fix-first\" id=\"fix-first\"><h2>What to fix first</h2>");
        if (items.Count == 0)
        {
            html.Append("<p class=\"meta\">nothing caps the grade</p></section>\n");
            return;
        }

        html.Append("<ol>");
        foreach (var (cap, modes) in items)
        {
            html.Append("<li data-rule=\"").Append(E(cap.Rule)).Append("\" data-cap=\"").Append(E(cap.Cap)).Append("\"><b class=\"")
                .Append(GradeStyle.CssClass(cap.Cap)).Append("\">").Append(E(cap.Cap)).Append("</b> ").Append(E(cap.Reason))
                .Append(" <span class=\"meta\">(").Append(E(string.Join(", ", modes))).Append(")</span>");
            if (FixAdvice.For(cap.Rule) is { } config)
            {
                html.Append("<div class=\"fix\">Prosody: <code>").Append(E(config.Prosody)).Append("</code><br>ejabberd: <code>")
                    .Append(E(config.Ejabberd)).Append("</code></div>");
            }
            else if (FixAdvice.Words(cap.Rule) is { } words)
            {
                html.Append("<div class=\"fix\">").Append(E(words)).Append("</div>");
            }

            html.Append("</li>");
        }

        html.Append("</ol></section>\n");
    }
}
