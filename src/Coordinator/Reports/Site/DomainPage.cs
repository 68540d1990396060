using System.Text;
using XmppScanCluster.Coordinator.Aggregation;
using XmppScanCluster.Coordinator.Grading;
using XmppScanCluster.Shared.Model;
using static XmppScanCluster.Coordinator.Reports.HtmlReportRenderer;

namespace XmppScanCluster.Coordinator.Reports.Site;

/// <summary>
/// domain/NAME.html: the per-server report of one domain (every mode) as <c>xmppscan scan --html</c> shows it —
/// the same renderer, graded by every policy with the site's first — inside the site's frame, with its badge and,
/// first, what to fix (<see cref="FixFirstList"/>).
/// </summary>
internal static class DomainPage
{
    public static string Body(IReadOnlyList<RegionResult> results, IGradingPolicy policy)
    {
        var domain = results[0].Report.Domain;
        var page = SafeFileNames.For(domain);
        var others = Policies.All.Where(p => p.Name != policy.Name);
        var gradings = results.SelectMany(r => Grader.GradeDomain(r.Report, [policy, .. others])).ToList();
        var html = new StringBuilder();
        html.Append("<h1>").Append(E(domain)).Append("</h1>\n<p class=\"badges\"><img src=\"../").Append(SiteFiles.BadgeDir).Append('/')
            .Append(page).Append(".svg\" alt=\"").Append(E(string.Join(", ", results.Select(r => $"{r.Report.Mode.Name()} {r.Grade?.Grade ?? "not responding"}"))))
            .Append("\"> <span class=\"meta\">badge: <code>badge/").Append(page).Append(".svg</code> · region ").Append(E(results[0].Region))
            .Append(" · <a href=\"../").Append(SiteFiles.Domains).Append("\">all domains</a></span></p>\n");
        FixFirstList.Render(html, gradings.Where(g => g.Endpoint is null && g.Result.Policy == policy.Name).Select(g => (g.Mode.Name(), g.Result)));
        HtmlReportRenderer.Domains(html, [.. results.Select(r => r.Report)], gradings, policy.Name);
        return html.ToString();
    }

    /// <summary>The badge of the same results.</summary>
    public static string BadgeSvg(IReadOnlyList<RegionResult> results) =>
        Badge.Render(results[0].Report.Domain, [.. results.Select(r => (r.Report.Mode.Name(), r.Grade?.Grade))]);
}
