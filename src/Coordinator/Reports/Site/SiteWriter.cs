using System.Globalization;
using System.Reflection;
using System.Text.Json;
using XmppScanCluster.Coordinator.Aggregation;

namespace XmppScanCluster.Coordinator.Reports.Site;

/// <summary>What was written: the directory, its entry page and how many domain pages.</summary>
public sealed record SiteSummary(string Directory, string IndexPath, int DomainPages, int Results);

/// <summary>
/// Writes the static census site into a directory: overview, domain table and its data, one page and one badge per
/// domain, the comparison when there is a previous census, the downloads, and the shared stylesheet and script.
/// Everything links relatively and nothing is fetched from elsewhere, so the directory works from <c>file://</c>
/// and behind any web server. domain/ and badge/ are emptied of earlier pages and badges first, so a domain that
/// left the census leaves no stale page.
/// </summary>
public static class SiteWriter
{
    public static async Task<SiteSummary> WriteAsync(string directory, CensusView view, CensusComparison? comparison, DateTimeOffset now,
        CancellationToken ct = default, IReadOnlyList<TrendPoint>? trend = null)
    {
        var root = Path.GetFullPath(directory);
        var domainDir = Path.Combine(root, SiteFiles.DomainDir);
        var badgeDir = Path.Combine(root, SiteFiles.BadgeDir);
        Directory.CreateDirectory(root);
        Clean(domainDir, "*.html");
        Clean(badgeDir, "*.svg");

        var version = typeof(SiteWriter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "?";
        var site = new SiteInfo(view.Census.Name, comparison is not null,
            $"xmppscan {version} report · generated {now.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC · "
            + $"grading policy {view.Policy.Name} · everything a server sent is shown as text");

        async Task Write(string name, string text) => await File.WriteAllTextAsync(Path.Combine(root, name), text, ct).ConfigureAwait(false);
        await Write(SiteLook.FileName, SiteLook.Css).ConfigureAwait(false);
        await Write(SiteFiles.ReportCss, HtmlReportRenderer.SectionCss).ConfigureAwait(false);
        await Write(SiteFiles.Script, SiteFiles.ScriptText).ConfigureAwait(false);
        await Write(SiteFiles.Index, SitePage.Wrap($"{view.Census.Name} — XMPP TLS census", site, "overview", 0,
            OverviewPage.Body(view, comparison, trend), [])).ConfigureAwait(false);
        await Write(SiteFiles.Domains, SitePage.Wrap($"Domains — {view.Census.Name}", site, "domains", 0,
            DomainsPage.Body(view.Rows.Count), [SiteFiles.DomainsData, SiteFiles.Script])).ConfigureAwait(false);
        var compare = Path.Combine(root, SiteFiles.Compare);
        if (comparison is not null)
        {
            await Write(SiteFiles.Compare, SitePage.Wrap($"Comparison — {view.Census.Name}", site, "compare", 0,
                ComparePage.Body(view.Census.Name, comparison), [])).ConfigureAwait(false);
        }
        else if (File.Exists(compare))
        {
            File.Delete(compare); // from an earlier report into the same directory
        }

        await using (var data = File.Create(Path.Combine(root, SiteFiles.DomainsData)))
        {
            DomainsPage.WriteData(data, view.Rows);
        }

        await using (var json = File.Create(Path.Combine(root, SiteFiles.Json)))
        {
            Downloads.WriteJson(json, view.Rows);
        }

        await using (var csv = new StreamWriter(Path.Combine(root, SiteFiles.Csv)))
        {
            Downloads.WriteCsv(csv, view.Rows);
        }

        await Write(SiteFiles.Statistics, JsonSerializer.Serialize(view.Statistics, StatisticsJsonContext.Default.CensusStatistics)).ConfigureAwait(false);

        var byDomain = view.Results.GroupBy(r => r.Report.Domain, StringComparer.Ordinal).Select(g => g.ToList()).ToList();
        Directory.CreateDirectory(domainDir);
        Directory.CreateDirectory(badgeDir);
        // Pages are independent: rendered on every core (10 000 domains take a few seconds instead of tens).
        await Parallel.ForEachAsync(byDomain, ct, async (results, token) =>
        {
            var page = SafeFileNames.For(results[0].Report.Domain);
            var html = SitePage.Wrap($"{results[0].Report.Domain} — {view.Census.Name}", site, null, 1, DomainPage.Body(results, view.Policy), [], reportCss: true);
            await File.WriteAllTextAsync(Path.Combine(domainDir, page + ".html"), html, token).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(badgeDir, page + ".svg"), DomainPage.BadgeSvg(results), token).ConfigureAwait(false);
        }).ConfigureAwait(false);

        return new SiteSummary(root, Path.Combine(root, SiteFiles.Index), byDomain.Count, view.Rows.Count);
    }

    private static void Clean(string directory, string pattern)
    {
        if (Directory.Exists(directory))
        {
            foreach (var file in Directory.EnumerateFiles(directory, pattern))
            {
                File.Delete(file);
            }
        }
    }
}
