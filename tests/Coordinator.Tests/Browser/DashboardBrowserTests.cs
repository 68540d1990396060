using XmppScanCluster.Coordinator.Tests.Dashboard;
using static XmppScanCluster.Coordinator.Tests.Aggregation.Reports;

namespace XmppScanCluster.Coordinator.Tests.Browser;

/// <summary>
/// The live dashboard in headless Chromium against a real coordinator on 127.0.0.1: it loads without a console error,
/// shows the progress and the statistics, follows results appended to the store while it is open, shows a certificate
/// subject carrying a script as text without running it, stops polling while the tab is hidden, and says "connection
/// lost" while the coordinator is away and recovers when it is back. Screenshots go to the tests' output folder (TestOutput), screenshots/.
/// </summary>
public sealed class DashboardBrowserTests
{
    private const string Script = "<script>window.__pwned=1</script>";

    private static string Text(string selector) => $"(document.querySelector('{selector}') || {{}}).textContent";

    // The page's poll interval; the page runs on FakePageTimers, so a "poll" is one Advance by this much.
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Dashboard_updatesAsResultsArrive_showsAScriptSubjectAsText_andSurvivesTheCoordinatorGoingAway()
    {
        await using var census = await DashboardCensus.CreateAsync(fakeTime: false);
        await census.AppendAsync(Domain("a.example", Endpoint("leaf-a")), "eu");
        await census.AppendAsync(Domain("b.example", Endpoint("leaf-b", trust: [Shared.Certificates.TrustProblem.Expired])), "eu");
        await using var browser = await Chromium.StartAsync();
        var page = await browser.OpenAsync(census.Server.Url + "/dashboard", initScript: FakePageTimers.Script);

        Assert.Equal("2 / 8", await page.EvaluateAsync<string>(Text("#progress-done b")));
        Assert.Equal("2", await page.EvaluateAsync<string>(Text("#kpi-results b")));
        Assert.Equal("live", await page.EvaluateAsync<string>(Text("#census-name")));
        Assert.Equal(1, await FakePageTimers.Pending(page)); // the next poll, nothing else

        await census.AppendAsync(Domain("c.example", Endpoint("leaf-c")), "eu");
        await census.AppendAsync(Domain("evil.example", Endpoint(Script, issuer: "CN=" + Script)), "eu");
        Assert.Equal(1, await FakePageTimers.Advance(page, Poll));
        await page.WaitForAsync($"{Text("#progress-done b")} === '4 / 8' && {Text("#kpi-results b")} === '4'");
        await page.WaitForAsync("document.querySelector('#results') !== null");

        Assert.True(await page.EvaluateAsync<bool>(
            $"[...document.querySelectorAll('#results td')].some(td => td.textContent === {System.Text.Json.Nodes.JsonValue.Create("CN=" + Script).ToJsonString()})"));
        Assert.True(await page.EvaluateAsync<bool>("typeof window.__pwned === 'undefined' && document.querySelectorAll('main script').length === 0"));
        Assert.Equal("live", await page.EvaluateAsync<string>(Text("#connection")));
        Assert.True(page.Problems.Count == 0, string.Join("\n", page.Problems));
        await page.ScreenshotAsync("dashboard-live");

        // Hidden tab: the round in flight ends, then no poll is scheduled and three intervals fetch nothing;
        // visible again: a round starts at once, without waiting for the clock.
        await page.WaitForAsync(FakePageTimers.OnlyPending(Poll)); // the round ended and scheduled the next poll
        await page.EvaluateAsync<bool>("Object.defineProperty(document, 'hidden', { configurable: true, get: () => true }); document.dispatchEvent(new Event('visibilitychange')); true");
        Assert.Equal(0, await FakePageTimers.Pending(page));
        var before = page.Requests.Count;
        Assert.Equal(0, await FakePageTimers.Advance(page, 3 * Poll));
        Assert.Equal(before, page.Requests.Count);
        await page.EvaluateAsync<bool>("Object.defineProperty(document, 'hidden', { configurable: true, get: () => false }); document.dispatchEvent(new Event('visibilitychange')); true");
        await page.WaitForAsync(FakePageTimers.OnlyPending(Poll)); // that round fetched and scheduled the next
        Assert.True(page.Requests.Count > before, "polling did not resume");

        await census.StopServerAsync();
        Assert.Equal(1, await FakePageTimers.Advance(page, Poll));
        await page.WaitForAsync($"{Text("#connection")}.startsWith('connection lost')");
        await page.ScreenshotAsync("dashboard-connection-lost");
        await census.RestartServerAsync();
        await census.AppendAsync(Domain("c.example", Endpoint("leaf-c")), "us");
        await page.WaitForAsync(FakePageTimers.OnlyPending(Poll));
        Assert.Equal(1, await FakePageTimers.Advance(page, Poll));
        await page.WaitForAsync($"{Text("#connection")} === 'live' && {Text("#progress-done b")} === '5 / 8'");
        // Only the polls that hit the stopped coordinator failed.
        Assert.All(page.Problems, p => Assert.Contains("/dashboard/fragments/", p, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithAToken_theDashboardOpenedWithItOnce_dropsItFromTheAddress_andKeepsPollingOnTheHttpOnlyCookie()
    {
        await using var census = await DashboardCensus.CreateAsync(token: "s3cret", fakeTime: false);
        await census.AppendAsync(Domain("a.example", Endpoint("leaf-a")), "eu");
        await using var browser = await Chromium.StartAsync();
        var page = await browser.OpenAsync(census.Server.Url + "/dashboard?census=live&token=s3cret", initScript: FakePageTimers.Script);

        Assert.Equal(census.Server.Url + "/dashboard?census=live", await page.EvaluateAsync<string>("location.href"));
        Assert.Equal("", await page.EvaluateAsync<string>("document.cookie"));
        await census.AppendAsync(Domain("b.example", Endpoint("leaf-b")), "eu");
        Assert.Equal(1, await FakePageTimers.Advance(page, Poll));
        await page.WaitForAsync($"{Text("#progress-done b")} === '2 / 8'");
        Assert.Equal("live", await page.EvaluateAsync<string>(Text("#connection")));
        Assert.True(page.Problems.Count == 0, string.Join("\n", page.Problems));
    }
}
