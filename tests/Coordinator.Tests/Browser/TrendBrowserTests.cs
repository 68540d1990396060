using System.Text.Json;
using XmppScanCluster.Coordinator.Tests.Reports.Site;
using XmppScanCluster.Shared.Certificates;
using static XmppScanCluster.Coordinator.Tests.Aggregation.Reports;

namespace XmppScanCluster.Coordinator.Tests.Browser;

/// <summary>
/// Issue 13 item 9, the trend chart in headless Chromium: a store with several censuses of the same targets (written
/// through the store API as a node writes them; no testbed server changes its grade between two censuses) gets one
/// grade column and one row of key shares per census, oldest first; a census of other targets is left out; census
/// names are shown as text, never as markup; a store with one census gets a one-column chart that says so.
/// Screenshots go to the tests' output folder (TestOutput), screenshots/.
/// </summary>
public sealed class TrendBrowserTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("xmppscan-trend-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Store => "sqlite:" + Path.Combine(_dir, "trend.db");

    private const string Hostile = "2026-06 <b id=\"injected\">second</b>";

    [Fact]
    public async Task SeveralCensuses_oneColumnAndRowEach_oldestFirst_otherTargetsLeftOut_namesAsText()
    {
        await SiteStores.AddCensusAsync(Store, "2026-03 first", [Domain("a.test", Endpoint("a", trust: [TrustProblem.Expired])),
            Domain("b.test", Endpoint("b")), NoService("c.test")]);
        await SiteStores.AddCensusAsync(Store, Hostile, [Domain("a.test", Endpoint("a")), Domain("b.test", Endpoint("b")), Domain("c.test", Endpoint("c"))]);
        await SiteStores.AddCensusAsync(Store, "other targets", [Domain("z.test", Endpoint("z"))]);
        await SiteStores.AddCensusAsync(Store, "2026-09 third", [Domain("a.test", Endpoint("a")), Domain("b.test", Endpoint("b")),
            Domain("c.test", Endpoint("c", protocols: ["TLSv1.0"]))]);
        var site = Path.Combine(_dir, "site");
        var (code, _, error) = await SiteStores.RunAsync("report", "--store", Store, "--out", site);
        Assert.True(code == 0, error);

        await using var browser = await Chromium.StartAsync();
        var page = await browser.OpenFileAsync(Path.Combine(site, "index.html"));
        await page.WaitForAsync("document.readyState === 'complete'");
        await page.EvaluateAsync<bool>("document.getElementById('trend').scrollIntoView(), true");
        await page.ScreenshotAsync("site-trend");
        Assert.Empty(page.Problems);

        var rows = (await page.EvaluateAsync<JsonElement>("""
            [...document.querySelectorAll('#trend-table tbody tr')].map(tr => ({
              name: tr.cells[0].textContent,
              results: +tr.querySelector('[data-key=results]').textContent,
              responding: +tr.querySelector('[data-key=responding]').textContent,
              good: +tr.querySelector('[data-key=a_or_better]').dataset.count }))
            """)).EnumerateArray().ToList();
        Assert.Equal(["2026-03 first", Hostile, "2026-09 third"], rows.Select(r => r.GetProperty("name").GetString()));
        Assert.Equal([(3, 2), (3, 3), (3, 3)], rows.Select(r => (r.GetProperty("results").GetInt32(), r.GetProperty("responding").GetInt32())));
        // The expired certificate is T in the first census; the others grade A-range until c.test drops to TLS 1.0 only.
        var good = rows.Select(r => r.GetProperty("good").GetInt32()).ToList();
        Assert.Equal(1, good[0]);
        Assert.Equal(3, good[1]);
        Assert.True(good[2] < 3, "TLS 1.0 only is not A or better");
        Assert.False(await page.EvaluateAsync<bool>("!!document.getElementById('injected')"));
        // "Since …" compares with the latest earlier census of the same targets, not the unrelated one created just before.
        Assert.Equal(Hostile, await page.EvaluateAsync<string>("document.querySelector('#changes b').textContent"));

        // The chart: each column's slices add up to its census's results; the first has the T and the not responding.
        var slices = (await page.EvaluateAsync<JsonElement>("""
            [...document.querySelectorAll('#trend svg.trend rect[data-census]')].map(r => ({
              census: +r.dataset.census, key: r.dataset.key, count: +r.dataset.count, title: r.querySelector('title').textContent }))
            """)).EnumerateArray().ToList();
        Assert.Equal([3, 3, 3], Enumerable.Range(0, 3).Select(i => slices.Where(s => s.GetProperty("census").GetInt32() == i).Sum(s => s.GetProperty("count").GetInt32())));
        Assert.Contains(slices, s => s.GetProperty("census").GetInt32() == 0 && s.GetProperty("key").GetString() == "T" && s.GetProperty("count").GetInt32() == 1);
        Assert.Contains(slices, s => s.GetProperty("census").GetInt32() == 0 && s.GetProperty("key").GetString() == "none");
        Assert.Contains(slices, s => s.GetProperty("title").GetString()!.StartsWith(Hostile + ":", StringComparison.Ordinal));
        Assert.DoesNotContain("other targets", await page.EvaluateAsync<string>("document.getElementById('trend').textContent"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OneCensus_oneColumn_andTheChartSaysSo()
    {
        await SiteStores.AddCensusAsync(Store, "only", [Domain("a.test", Endpoint("a")), Domain("b.test", Endpoint("b", trust: [TrustProblem.Expired]))]);
        var site = Path.Combine(_dir, "site");
        var (code, _, error) = await SiteStores.RunAsync("report", "--store", Store, "--out", site);
        Assert.True(code == 0, error);

        await using var browser = await Chromium.StartAsync();
        var page = await browser.OpenFileAsync(Path.Combine(site, "index.html"));
        await page.WaitForAsync("document.readyState === 'complete'");
        await page.ScreenshotAsync("site-trend-one-census");
        Assert.Empty(page.Problems);
        Assert.Equal(1, await page.EvaluateAsync<int>("document.querySelectorAll('#trend-table tbody tr').length"));
        Assert.Equal(2, await page.EvaluateAsync<int>("[...document.querySelectorAll('#trend rect[data-census=\"0\"]')].reduce((n, r) => n + +r.dataset.count, 0)"));
        Assert.Contains("One census so far", await page.EvaluateAsync<string>("document.getElementById('trend').innerText"), StringComparison.Ordinal);
    }
}
