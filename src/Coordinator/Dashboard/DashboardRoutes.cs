using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using XmppScanCluster.Coordinator.Reports.Site;

namespace XmppScanCluster.Coordinator.Dashboard;

/// <summary>
/// GET <c>/</c> (redirects to the dashboard, keeping the query so <c>/?token=…</c> works), <c>/dashboard?census=&amp;region=</c>,
/// <c>/dashboard/site.css</c>, <c>/dashboard/dashboard.css</c>, <c>/dashboard/icon.svg</c>, <c>/dashboard/dashboard.js</c> and
/// <c>/dashboard/fragments/{name}?census=&amp;region=</c> (one of <see cref="DashboardFragments.Names"/>).
/// </summary>
public static class DashboardRoutes
{
    // Nothing but our own script and stylesheets may run or load: text a server sent that slipped through escaping
    // could still not execute (no inline script, no inline event handlers), nor fetch anything elsewhere.
    private const string Policy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static void Map(WebApplication app, DashboardFragments fragments)
    {
        app.MapGet("/", (HttpRequest request) => Results.Redirect("/dashboard" + request.QueryString));
        app.MapGet("/dashboard", async (HttpContext context, string? census, string? region, CancellationToken ct) =>
        {
            var selected = await fragments.SelectAsync(census, ct).ConfigureAwait(false);
            var missing = selected is null && !string.IsNullOrEmpty(census) ? census : null;
            var page = await DashboardPage.RenderAsync(fragments, selected, region, missing, ct).ConfigureAwait(false);
            return Send(context, page, "text/html; charset=utf-8", missing is null ? StatusCodes.Status200OK : StatusCodes.Status404NotFound);
        });
        app.MapGet("/dashboard/" + SiteLook.FileName, (HttpContext context) => Send(context, SiteLook.Css, "text/css; charset=utf-8"));
        app.MapGet("/dashboard/" + DashboardLook.FileName, (HttpContext context) => Send(context, DashboardLook.Css, "text/css; charset=utf-8"));
        app.MapGet("/dashboard/" + DashboardLook.IconName, (HttpContext context) => Send(context, DashboardLook.Icon, "image/svg+xml"));
        app.MapGet("/dashboard/" + DashboardScript.FileName, (HttpContext context) =>
            Send(context, DashboardScript.Js, "text/javascript; charset=utf-8"));
        app.MapGet("/dashboard/fragments/{name}", async (HttpContext context, string name, string? census, string? region, CancellationToken ct) =>
        {
            if (!DashboardFragments.Names.Contains(name))
            {
                return Send(context, "no such fragment", "text/plain; charset=utf-8", StatusCodes.Status404NotFound);
            }

            var selected = await fragments.SelectAsync(census, ct).ConfigureAwait(false);
            if (selected is null && !string.IsNullOrEmpty(census))
            {
                return Send(context, "<p class=\"bad\">no census named " + Reports.HtmlReportRenderer.E(census) + "</p>",
                    "text/html; charset=utf-8", StatusCodes.Status404NotFound);
            }

            return Send(context, await fragments.RenderAsync(name, selected, region, ct).ConfigureAwait(false), "text/html; charset=utf-8");
        });
    }

    private static IResult Send(HttpContext context, string body, string contentType, int status = StatusCodes.Status200OK)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        return Results.Text(body, contentType, statusCode: status);
    }
}
