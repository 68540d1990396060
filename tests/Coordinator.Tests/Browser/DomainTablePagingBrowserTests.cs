using XmppScanCluster.Coordinator.Tests.Reports.Site;
using R = XmppScanCluster.Coordinator.Tests.Aggregation.Reports;

namespace XmppScanCluster.Coordinator.Tests.Browser;

/// <summary>
/// A table longer than one page of rows (500): the first 500 are shown with a "show more" button, and sorting and
/// filtering apply to every row, not only to the ones on screen.
/// </summary>
public sealed class DomainTablePagingBrowserTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("xmppscan-paging-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task SixHundredRows_firstFiveHundredShown_sortAndFilterSeeAllRows()
    {
        var store = "sqlite:" + Path.Combine(_dir, "s.db");
        // Domain d000 … d599; every 7th has an expired certificate (T).
        var reports = Enumerable.Range(0, 600).Select(i => R.Domain($"d{i:000}.test",
            R.Endpoint($"d{i}", trust: i % 7 == 0 ? [Shared.Certificates.TrustProblem.Expired] : null))).ToList();
        await SiteStores.AddCensusAsync(store, "six-hundred", reports);
        var site = Path.Combine(_dir, "site");
        Assert.Equal(0, (await SiteStores.RunAsync("report", "--store", store, "--out", site)).Code);

        await using var browser = await Chromium.StartAsync();
        var page = await browser.OpenFileAsync(Path.Combine(site, "domains.html"));
        const string rows = "document.querySelectorAll('#domains tbody tr').length";
        const string first = "document.querySelector('#domains tbody tr td').textContent";
        Assert.Equal(500, await page.EvaluateAsync<int>(rows));
        Assert.Equal("600 of 600 results (first 500 shown)", await page.EvaluateAsync<string>("document.getElementById('count').textContent"));

        await page.ClickAsync("th[data-key=domain]"); // already ascending: a second click sorts descending, over all 600
        Assert.Equal("d599.test", await page.EvaluateAsync<string>(first));
        await page.ClickAsync("#more");
        Assert.Equal(600, await page.EvaluateAsync<int>(rows));
        Assert.False(await page.EvaluateAsync<bool>("!document.getElementById('more').hidden"));

        await page.TypeAsync("#q", "d59");
        Assert.Equal(10, await page.EvaluateAsync<int>(rows));
        await page.EvaluateAsync<bool>("(() => { const q = document.getElementById('q'); q.value = ''; q.dispatchEvent(new Event('input')); " +
            "const g = document.getElementById('grade'); g.value = 'T'; g.dispatchEvent(new Event('input')); return true; })()");
        Assert.Equal(Enumerable.Range(0, 600).Count(i => i % 7 == 0), await page.EvaluateAsync<int>(rows));
        Assert.Equal("d595.test", await page.EvaluateAsync<string>(first));
        Assert.Empty(page.Problems);
    }
}
