using System.Net;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Coordinator.Aggregation;
using XmppScanCluster.Coordinator.Grading;
using XmppScanCluster.Coordinator.Reports.Site;
using static XmppScanCluster.Coordinator.Tests.Aggregation.Reports;

namespace XmppScanCluster.Coordinator.Tests.Dashboard;

/// <summary>The live dashboard over HTTP: a real coordinator on 127.0.0.1 over a SQLite census whose results the test
/// appends as nodes do; the numbers on the page are checked against the store and <see cref="StatisticsCalculator"/>.</summary>
public sealed class DashboardHttpTests : IAsyncLifetime
{
    private const string Script = "<script>window.__pwned=1</script>";
    private DashboardCensus _census = null!;
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false });

    public async Task InitializeAsync()
    {
        _census = await DashboardCensus.CreateAsync();
        _http.BaseAddress = new Uri(_census.Server.Url);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _census.DisposeAsync();
    }

    private async Task<string> Get(string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await _http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{path}: {(int)response.StatusCode}\n{body}");
        return body;
    }

    /// <summary>Ten minutes into the census: a, b, c done in eu 30 s ago, a done in us 90 s ago with another certificate.</summary>
    private async Task FourResults()
    {
        _census.Time!.Advance(TimeSpan.FromMinutes(10));
        foreach (var domain in new[] { "a.example", "b.example", "c.example" })
        {
            await _census.AppendAsync(Domain(domain, Endpoint("leaf-" + domain)), "eu", TimeSpan.FromSeconds(30));
        }

        await _census.AppendAsync(Domain("a.example", Endpoint("leaf-a.example-mitm")), "us", TimeSpan.FromSeconds(90));
    }

    [Fact]
    public async Task Root_redirectsToTheDashboard_whichLinksTheSharedLookAndItsScript()
    {
        using var root = await _http.GetAsync("/");
        Assert.Equal((HttpStatusCode.Redirect, "/dashboard"), (root.StatusCode, root.Headers.Location?.OriginalString));

        using var page = await _http.GetAsync("/dashboard");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<link rel=\"stylesheet\" href=\"/dashboard/site.css\">", html, StringComparison.Ordinal);
        Assert.Contains("<script src=\"/dashboard/dashboard.js\" defer></script>", html, StringComparison.Ordinal);
        Assert.Contains("data-fragment=\"/dashboard/fragments/stats?census=live\"", html, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal), StringComparison.Ordinal);

        Assert.Equal(SiteLook.Css, await Get("/dashboard/site.css"));
        using var js = await _http.GetAsync("/dashboard/dashboard.js");
        Assert.Equal("text/javascript", js.Content.Headers.ContentType?.MediaType);
        Assert.Contains("visibilitychange", await js.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await Get("/dashboard/fragments/nope?census=live", HttpStatusCode.NotFound);
        Assert.Contains("no census named &lt;b&gt;", await Get("/dashboard?census=%3Cb%3E", HttpStatusCode.NotFound), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Progress_showsDonePerRegion_recentThroughputFromTheJournal_andTheEtaAtThatRate()
    {
        await FourResults();
        var html = await Get("/dashboard/fragments/progress?census=live");

        Assert.Equal("4 / 8", HtmlCells.Kpi(html, "progress-done"));
        // Window 2 min: eu 3 targets (6 events), us 1 target (2 events) → 2 targets/min, 8/120 events/s.
        Assert.Equal(("2", "0.07"), (HtmlCells.Kpi(html, "rate-targets"), HtmlCells.Kpi(html, "rate-events")));
        Assert.Equal(["eu", "75 %", "3", "0", "1", "1 / 3", "1.5", "0.05", "0:00:40"], HtmlCells.Row(html, "regions", "eu"));
        Assert.Equal(["us", "25 %", "1", "0", "3", "3 / 1", "0.5", "0.02", "0:06:00"], HtmlCells.Row(html, "regions", "us"));
        Assert.Equal("0:06:00", HtmlCells.Kpi(html, "eta"));

        var list = await Get("/dashboard/fragments/censuses");
        Assert.Equal("4 / 8", HtmlCells.Row(list, "census-list", "live")[3]);

        await _census.AppendAsync(Domain("evil.example", Endpoint("leaf-evil")), "eu");
        Assert.Equal("done", HtmlCells.Row(await Get("/dashboard/fragments/progress?census=live"), "regions", "eu")[8]);
    }

    [Fact]
    public async Task Nodes_showTheReportedClusterMembers_andThroughputPerNode_staleReportsMarked()
    {
        await FourResults();
        var at = _census.Now;
        await _census.Store.ReportClusterAsync("eu", [
            new ClusterMember("eu", "akka.tcp://xmppscan-eu@127.0.0.1:4001", "region:eu,scan", "up", true, 7, 12, at),
            new ClusterMember("eu", "akka.tcp://xmppscan-eu@127.0.0.1:4002", "region:eu,scan", "up", false, 3, 5, at)]);
        await _census.Store.ReportClusterAsync("us", [
            new ClusterMember("us", "akka.tcp://xmppscan-us@127.0.0.1:5001", "region:us,scan", "up", true, 1, 1, at - TimeSpan.FromMinutes(10))]);
        var html = await Get("/dashboard/fragments/nodes?census=live");

        var first = HtmlCells.Row(html, "nodes", "akka.tcp://xmppscan-eu@127.0.0.1:4001");
        Assert.Equal(["eu", "region:eu,scan", "up", "yes", "7", "12", "12:10:00 (0 s ago)"], first.Skip(1));
        Assert.Equal("no", HtmlCells.Row(html, "nodes", "akka.tcp://xmppscan-eu@127.0.0.1:4002")[4]);
        Assert.Contains("bad", System.Text.RegularExpressions.Regex.Match(html, "<td class=\"(\\w+)\">12:00:00 \\(10 min ago\\)").Groups[1].Value, StringComparison.Ordinal);
        Assert.Equal(["node-eu", "1.5", "0.05"], HtmlCells.Row(html, "node-throughput", "node-eu"));

        // A region reports its whole cluster each time: a member gone from the report is gone from the page.
        await _census.Store.ReportClusterAsync("eu", [
            new ClusterMember("eu", "akka.tcp://xmppscan-eu@127.0.0.1:4001", "region:eu,scan", "up", true, 10, 17, at)]);
        Assert.DoesNotContain("127.0.0.1:4002", await Get("/dashboard/fragments/nodes?census=live"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Statistics_areStatisticsCalculatorsForTheFirstRegion_andDisagreementsNameTheCertificate()
    {
        await FourResults();
        var expected = new Aggregator(_census.Store, _census.Census.CensusId);
        await expected.CatchUpAsync();
        var stats = expected.Statistics(Policies.SslLabs2009r, "eu");

        var html = await Get("/dashboard/fragments/stats?census=live");
        Assert.Contains(StatisticsHtml.Render(stats), html, StringComparison.Ordinal);
        Assert.Equal("3", HtmlCells.Kpi(html, "kpi-results"));
        Assert.Equal("1", HtmlCells.Kpi(await Get("/dashboard/fragments/stats?census=live&region=us"), "kpi-results"));

        var disagreements = await Get("/dashboard/fragments/disagreements?census=live");
        var row = HtmlCells.Row(disagreements, "disagreements", "a.example");
        Assert.Equal(("c2s", "xmpp.example:5222 starttls", "certificate"), (row[1], row[2], row[3]));
        Assert.StartsWith("different leaf certificates: eu: leaf-a.example; us: leaf-a.example-m", row[4], StringComparison.Ordinal);
        Assert.EndsWith("eu: leaf-a.example us: leaf-a.example-mitm", row[4], StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatisticsFragment_isStableWhileNothingArrives_andChangesWhenAResultIsAppended()
    {
        await FourResults();
        var before = await Get("/dashboard/fragments/stats?census=live");
        Assert.Equal(before, await Get("/dashboard/fragments/stats?census=live"));

        await _census.AppendAsync(Domain("evil.example", Endpoint("leaf-evil", trust: [Shared.Certificates.TrustProblem.Expired])), "eu");
        var after = await Get("/dashboard/fragments/stats?census=live");
        Assert.Equal("4", HtmlCells.Kpi(after, "kpi-results"));
        var trust = System.Text.RegularExpressions.Regex.Match(after, "<section class=\"card\" id=\"trust-causes\">.*?</section>",
            System.Text.RegularExpressions.RegexOptions.Singleline).Value;
        Assert.Equal("Trust problems expired 1 25 %", HtmlCells.Text(trust));
        var api = await Get("/api/censuses/live/stats");
        Assert.Contains("\"results\": 4", api, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LatestResults_listNewestFirst_andAScriptInTheCertificateSubjectIsText()
    {
        await FourResults();
        await _census.AppendAsync(Domain("evil.example", Endpoint(Script, issuer: "CN=" + Script)), "eu");

        var html = await Get("/dashboard/fragments/results?census=live");
        var evil = HtmlCells.Row(html, "results", "12:10:00");
        Assert.Equal(["12:10:00", "evil.example", "c2s", "A", "CN=" + Script, "completed, 1 endpoint(s)", "node-eu", "eu"], evil);
        Assert.Equal(["evil.example", "a.example", "c.example", "b.example", "a.example"], HtmlCells.Column(html, "results", 1));
        Assert.Equal("us", HtmlCells.Row(html, "results", "12:08:30")[7]);
        Assert.Contains("CN=&lt;script&gt;window.__pwned=1&lt;/script&gt;", html, StringComparison.Ordinal);

        foreach (var path in new[] { "/dashboard?census=live", "/dashboard/fragments/results?census=live", "/dashboard/fragments/stats?census=live" })
        {
            Assert.DoesNotContain("<script>window", await Get(path), StringComparison.Ordinal);
        }
    }
}
