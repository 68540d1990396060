using System.Text;
using XmppScanCluster.Coordinator.Store;

namespace XmppScanCluster.Coordinator.Dashboard;

/// <summary>
/// The page shell: the shared look, the script, and one <c>section</c> per fragment holding its first rendering and the
/// URL the script polls (the selected census is pinned in it, so a new census starting does not switch the view).
/// </summary>
internal static class DashboardPage
{
    public static async Task<string> RenderAsync(DashboardFragments fragments, CensusInfo? census, string? region, string? missing,
        CancellationToken ct)
    {
        var html = new StringBuilder("""
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>xmppscan — live dashboard</title>
<link rel="icon" href="/dashboard/icon.svg" type="image/svg+xml"><link rel="stylesheet" href="/dashboard/site.css"><link rel="stylesheet" href="/dashboard/dashboard.css">
<script src="/dashboard/dashboard.js" defer></script></head>
<body><header class="site"><h1>xmppscan coordinator</h1><span>live dashboard</span>
<span id="connection" class="conn conn-live" role="status">live</span><span id="updated" class="meta"></span></header>
<main>
""");
        if (missing is not null)
        {
            html.Append("<p class=\"bad\" id=\"missing\">no census named ").Text(missing).Append("</p>\n");
        }

        var query = new StringBuilder();
        if (census is not null)
        {
            query.Append("?census=").Append(Uri.EscapeDataString(census.Name));
            if (region is not null)
            {
                query.Append("&region=").Append(Uri.EscapeDataString(region));
            }
        }

        foreach (var name in DashboardFragments.Names)
        {
            html.Append("<section class=\"panel\" id=\"f-").Append(name).Append("\" data-fragment=\"/dashboard/fragments/").Append(name)
                .Text(query.ToString()).Append("\">").Append(await fragments.RenderAsync(name, census, region, ct).ConfigureAwait(false))
                .Append("</section>\n");
        }

        return html.Append("</main></body></html>\n").ToString();
    }
}
