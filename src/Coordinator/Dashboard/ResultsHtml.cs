using System.Text;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.Coordinator.Dashboard;

/// <summary>
/// The latest results to arrive, newest first: time, domain, mode, grade, the leaf certificate's subject, status,
/// node and region. The subject, the domain and a failure message are what the server (or its DNS) sent: a subject
/// of <c>CN=&lt;script&gt;…</c> is shown as those characters.
/// </summary>
internal static class ResultsHtml
{
    public static string Render(IReadOnlyList<RecentResult> results, string policy)
    {
        var html = new StringBuilder("<h2>Latest results <span class=\"meta\">(grades: ").Text(policy).Append(")</span></h2>");
        if (results.Count == 0)
        {
            return html.Append("<p class=\"meta\">no result yet</p>").ToString();
        }

        html.Append("<table class=\"list\" id=\"results\">").Th("time (UTC)", "domain", "mode", "grade", "certificate subject", "status", "node", "region");
        foreach (var r in results)
        {
            var letter = r.Grade?.Grade;
            var leaf = r.Report.Endpoints.Select(e => e.Certificate?.Chain.FirstOrDefault()).FirstOrDefault(c => c is not null);
            html.Append("<tr>").Td(Html.Time(r.At)).Td(r.Report.Domain).Td(r.Report.Mode.Name())
                .Append("<td>").Grade(letter).Append("</td>").Td(leaf?.Subject ?? "—").Td(Status(r.Report)).Td(r.Node).Td(r.Region).Append("</tr>");
        }

        return html.Append("</table>").ToString();
    }

    private static string Status(DomainReport report) => report.Failure is { } f
        ? $"{report.Status.ToString().ToLowerInvariant()}: {f.Words()}"
        : $"{report.Status.ToString().ToLowerInvariant()}, {report.Endpoints.Count} endpoint(s)";
}
