using System.Globalization;
using System.Text;
using XmppScanCluster.Coordinator.Aggregation;
using static XmppScanCluster.Coordinator.Reports.HtmlReportRenderer;

namespace XmppScanCluster.Coordinator.Reports.Site;

/// <summary>
/// The census statistics as HTML cards: each a bar chart drawn as SVG (<see cref="SvgBars"/>) with each bar's count
/// and share beside it (people read pictures, check numbers). Shared by the site's overview and the live dashboard.
/// Every label is escaped: issuer names come from certificates the servers sent. Every chart row carries
/// <c>data-key</c> (the statistic's key), and its bars and count cells <c>data-count</c>, for tests and scripts.
/// </summary>
public static class StatisticsHtml
{
    private const string Accent = "#1565c0", Good = "#2e7d32", Bad = "#c62828", Trust = "#6a1b9a";

    /// <summary>Feature cards: id, title, the feature keys in order with their labels, bar colour.</summary>
    private static readonly (string Id, string Title, (string Key, string Label)[] Keys, string Colour)[] FeatureCards =
    [
        ("weak-suites", "Weak cipher suites", [("weak_suites", "≤ 56-bit suites"), ("export_suites", "export suites"), ("rc4_suites", "RC4 suites"),
            ("null_suites", "NULL suites"), ("anonymous_suites", "anonymous suites"), ("dh_1024_or_less", "DH ≤ 1024 bits")], Bad),
        ("forward-secrecy", "Forward secrecy", [("forward_secrecy_all", "every suite"), ("forward_secrecy_some", "some suites"), ("forward_secrecy_none", "no suite")], Accent),
        ("starttls-required", "STARTTLS required", [("starttls_required_c2s", "c2s"), ("starttls_required_s2s", "s2s"), ("sasl_plain_before_tls", "PLAIN offered before TLS")], Good),
        ("modern-tls", "Direct TLS, TLS 1.3, DANE", [("direct_tls", "direct TLS (XEP-0368)"), ("tls13", "TLS 1.3"), ("dane", "DANE match")], Good),
    ];

    /// <summary>Features the calculator always counts, so a missing key means 0.</summary>
    private static readonly HashSet<string> AlwaysCounted =
    [
        "weak_suites", "export_suites", "rc4_suites", "null_suites", "anonymous_suites", "dh_1024_or_less", "forward_secrecy_all",
        "forward_secrecy_some", "forward_secrecy_none", "starttls_required_c2s", "starttls_required_s2s", "sasl_plain_before_tls",
        "direct_tls", "tls13", "dane",
    ];

    /// <summary>The key figures and one card per statistic; with <paramref name="sslLabs"/> (the same results under
    /// ssllabs-2009r) the grade card shows the SSL Labs letters beside the policy's.</summary>
    public static string Render(CensusStatistics stats, CensusStatistics? sslLabs = null)
    {
        var html = new StringBuilder();
        html.Append("<div class=\"kpis\">");
        Kpi(html, "results", stats.Results, "results (domain × mode)");
        Kpi(html, "responding", stats.Responding, "responding (TLS handshake)");
        Kpi(html, "not-responding", stats.NotResponding, "not responding");
        // Protocols and suites come from the TLS assessment: how many of the responding results it covers.
        Kpi(html, "assessed", stats.Assessed, $"assessed of {stats.Responding} responding");
        Kpi(html, "disagreements", stats.Disagreements.Count, "vantage disagreements");
        html.Append("</div>\n<p class=\"meta\">Percentages are of all ").Append(stats.Results.ToString(CultureInfo.InvariantCulture))
            .Append(" results unless a row says \"of N\"; policy ").Append(E(stats.Policy)).Append(", region ").Append(E(stats.Region)).Append(".</p>\n<div class=\"cards\">\n");
        Grades(html, stats, sslLabs);
        Card(html, "trust-causes", "Trust problems", stats.TrustCauses, _ => Trust);
        Card(html, "protocols", "Protocol support", stats.Protocols, p => p is "SSLv2" or "SSLv3" ? Bad : p is "TLSv1.0" or "TLSv1.1" ? "#ef6c00" : Good);
        Card(html, "key-types", "Key types and sizes", stats.KeyTypes, _ => Accent);
        var byKey = stats.Features.ToDictionary(f => f.Key, StringComparer.Ordinal);
        var byMode = stats.ResultsByMode ?? new Dictionary<string, int>();
        foreach (var (id, title, keys, colour) in FeatureCards)
        {
            if (keys.All(k => StatisticsCalculator.SuiteFeatures.Contains(k.Key)) && stats.Assessed == 0)
            {
                // A session handshake says nothing about the other suites a server accepts: no count rather than a false 0.
                Open(html, id, title);
                html.Append("<p class=\"meta not-counted\">Not counted: no result has the suite enumeration (a census at depth session).</p></section>\n");
                continue;
            }

            var counts = keys.Where(k => byKey.ContainsKey(k.Key) || AlwaysCounted.Contains(k.Key))
                .Select(k => byKey.GetValueOrDefault(k.Key)
                    ?? new Count(k.Key, 0, 0, StatisticsCalculator.FeatureDenominator(k.Key, stats.Results, stats.Assessed, byMode)))
                .ToList();
            // What the shares are of: said once under the card when every row shares it, else per row ("c2s (of 17)").
            var denominators = counts.Select(c => c.Of).Where(o => o > 0).Distinct().ToList();
            var shared = denominators is [var only] && only != stats.Results ? only : (int?)null;
            var labels = counts.ToDictionary(c => c.Key, c =>
            {
                var label = keys.First(k => k.Key == c.Key).Label;
                // "of 0": no results of that mode at all (a c2s-only census has no s2s to require STARTTLS on).
                return shared is null && c.Of != stats.Results && (c.Of > 0 || c.Domains == 0) ? $"{label} (of {c.Of})" : label;
            });
            var note = shared is { } of
                ? $"Of the {of} results with the suite enumeration" + (stats.Responding - stats.Assessed is > 0 and var n
                    ? $"; {n} other responding result{(n == 1 ? "" : "s")} had one session only." : ".")
                : null;
            Card(html, id, title, counts, _ => colour, labels, note);
        }

        var shown = FeatureCards.SelectMany(c => c.Keys).Select(k => k.Key).ToHashSet(StringComparer.Ordinal);
        var other = stats.Features.Where(f => !shown.Contains(f.Key)).ToList();
        if (other.Count > 0)
        {
            Card(html, "other-features", "Other features", other, _ => Accent);
        }

        Card(html, "top-issuers", "Top certificate issuers", stats.TopIssuers, _ => Accent, IssuerLabels.For(stats.TopIssuers.Select(c => c.Key)),
            fullNameOnHover: true);
        SharedKeys(html, stats.SharedKeys);
        html.Append("</div>\n");
        return html.ToString();
    }

    /// <summary>One card: a bar per count and the numbers table; <paramref name="labels"/> names keys for people,
    /// <paramref name="note"/> (escaped) says under the chart what its shares are of.</summary>
    public static void Card(StringBuilder html, string id, string title, IReadOnlyList<Count> counts, Func<string, string> colour,
        IReadOnlyDictionary<string, string>? labels = null, string? note = null, bool fullNameOnHover = false)
    {
        Open(html, id, title);
        if (counts.Count == 0)
        {
            html.Append("<p class=\"meta\">none</p></section>\n");
            return;
        }

        html.Append("<table class=\"chart\" aria-label=\"").Append(E(title)).Append("\"><tbody>");
        foreach (var count in counts)
        {
            SvgBars.Row(html, count.Key, labels?.GetValueOrDefault(count.Key) ?? Output.Words.Label(count.Key), [(count.Domains, count.Share, colour(count.Key), null)],
                title: fullNameOnHover ? count.Key : null);
        }

        html.Append("</tbody></table>");
        if (note is not null)
        {
            html.Append("<p class=\"meta\">").Append(E(note)).Append("</p>");
        }

        html.Append("</section>\n");
    }

    /// <summary>Grades with and without trust issues side by side: two bars per letter, two count columns; a third
    /// (grey) bar and column for the SSL Labs letter when given.</summary>
    private static void Grades(StringBuilder html, CensusStatistics stats, CensusStatistics? sslLabs)
    {
        var title = sslLabs is null ? "Grades, and if trust issues were ignored" : $"Grades ({stats.Policy}), if trust issues were ignored, and under {sslLabs.Policy}";
        var letters = stats.Grades.Select(g => g.Key).Union(stats.GradesIgnoringTrust.Select(g => g.Key)).Union(sslLabs?.Grades.Select(g => g.Key) ?? [])
            .OrderBy(GradeStyle.Rank).ThenBy(k => k, StringComparer.Ordinal).ToList();
        Count Find(IReadOnlyList<Count> list, string key) => list.FirstOrDefault(c => c.Key == key) ?? new Count(key, 0, 0);
        var rows = letters.Select(l => (l, Find(stats.Grades, l), Find(stats.GradesIgnoringTrust, l))).ToList();
        Open(html, "grades", title);
        if (rows.Count == 0)
        {
            html.Append("<p class=\"meta\">none</p></section>\n");
            return;
        }

        html.Append("<table class=\"chart\" aria-label=\"").Append(E(title))
            .Append("\"><thead><tr><th></th><th></th><th colspan=\"2\">grade</th><th colspan=\"2\">ignoring trust</th>")
            .Append(sslLabs is null ? "" : "<th colspan=\"2\">SSL Labs</th>").Append("</tr></thead><tbody>");
        foreach (var (letter, shown, ignoring) in rows)
        {
            // The grade as shown in full colour, the grade if trust were ignored paler below it, the SSL Labs letter grey.
            List<(int, double, string, string?)> bars = [(shown.Domains, shown.Share, GradeStyle.Colour(letter), "grade"),
                (ignoring.Domains, ignoring.Share, GradeStyle.PaleColour(letter), "ignoring-trust")];
            if (sslLabs is not null)
            {
                var ssl = Find(sslLabs.Grades, letter);
                bars.Add((ssl.Domains, ssl.Share, "#9e9e9e", "ssllabs"));
            }

            SvgBars.Row(html, letter, letter, bars, GradeStyle.CssClass(letter));
        }

        html.Append("</tbody></table>")
            .Append("<p class=\"meta\">T: certificate not trusted, M: name mismatch — what a client that checks certificates sees.</p></section>\n");
    }

    private static void SharedKeys(StringBuilder html, IReadOnlyList<SharedKey> keys)
    {
        Open(html, "shared-keys", "Keys shared by several domains");
        if (keys.Count == 0)
        {
            html.Append("<p class=\"meta\">none</p></section>\n");
            return;
        }

        html.Append("<table class=\"chart\"><tbody>");
        foreach (var key in keys.Take(10))
        {
            html.Append("<tr data-key=\"").Append(E(key.SpkiSha256)).Append("\"><td><code>").Append(E(key.SpkiSha256[..Math.Min(16, key.SpkiSha256.Length)]))
                .Append("…</code></td><td class=\"n\" data-count=\"").Append(key.Domains.Count).Append("\">").Append(key.Domains.Count)
                .Append("</td><td>").Append(E(string.Join(", ", key.Domains.Take(5)) + (key.Domains.Count > 5 ? ", …" : ""))).Append("</td></tr>");
        }

        html.Append("</tbody></table></section>\n");
    }

    private static void Open(StringBuilder html, string id, string title) =>
        html.Append("<section class=\"card\" id=\"").Append(E(id)).Append("\"><h2>").Append(E(title)).Append("</h2>");

    private static void Kpi(StringBuilder html, string id, int value, string label) =>
        html.Append("<div class=\"kpi\" id=\"kpi-").Append(id).Append("\"><b>").Append(value.ToString(CultureInfo.InvariantCulture)).Append("</b><span>")
            .Append(E(label)).Append("</span></div>");
}
