using System.Net;
using System.Net.Http.Headers;

namespace XmppScanCluster.Coordinator.Tests.Dashboard;

/// <summary>The dashboard behind a token: a browser brings it once in the URL, gets an HttpOnly SameSite=Strict cookie and a
/// redirect that drops it from the address bar; the cookie opens the dashboard only, never the API.</summary>
public sealed class DashboardAccessTests
{
    private static HttpClient Client(string url) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(url) };

    [Fact]
    public async Task WithAToken_theDashboardIsRefused_untilTheTokenIsGivenOnce_thenTheCookieOpensItButNotTheApi()
    {
        await using var census = await DashboardCensus.CreateAsync(token: "s3cret");
        using var http = Client(census.Server.Url);

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/dashboard")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/dashboard/fragments/stats?census=live")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync("/dashboard?token=wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await http.GetAsync("/?token=s3cret")).StatusCode);

        using var given = await http.GetAsync("/dashboard?census=live&token=s3cret");
        Assert.Equal((HttpStatusCode.Redirect, "/dashboard?census=live"), (given.StatusCode, given.Headers.Location?.OriginalString));
        var setCookie = Assert.Single(given.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/dashboard", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("s3cret", setCookie, StringComparison.Ordinal);
        var cookie = setCookie.Split(';')[0];

        http.DefaultRequestHeaders.Add("Cookie", cookie);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/dashboard?census=live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/dashboard/fragments/stats?census=live")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/censuses")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync("/api/censuses/live/cancel", null)).StatusCode);

        http.DefaultRequestHeaders.Remove("Cookie");
        http.DefaultRequestHeaders.Add("Cookie", cookie[..^2] + "xx");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/dashboard?census=live")).StatusCode);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/dashboard/fragments/progress?census=live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/censuses")).StatusCode);
    }

    [Fact]
    public async Task OnLoopbackWithoutAToken_theDashboardAndApiAreOpen()
    {
        await using var census = await DashboardCensus.CreateAsync();
        using var http = Client(census.Server.Url);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/dashboard")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/dashboard/fragments/nodes?census=live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/censuses")).StatusCode);
    }
}
