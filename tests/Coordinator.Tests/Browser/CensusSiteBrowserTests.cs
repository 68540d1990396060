using System.Text.Json;
using XmppScanCluster.Coordinator.Aggregation;
using XmppScanCluster.Coordinator.Reports.Site;
using XmppScanCluster.Coordinator.Tests.Census;

namespace XmppScanCluster.Coordinator.Tests.Browser;

/// <summary>
/// The census site of a real testbed census in headless Chromium, from <c>file://</c>: pages load without console
/// errors, exceptions or failed requests and fetch nothing but their own files; the charts show the numbers
/// <see cref="StatisticsCalculator"/> computes (and the testbed manifest predicts); the table sorts and filters;
/// a domain page shows the report. Screenshots go to the tests' output folder (TestOutput), screenshots/.
/// </summary>
[Collection(CensusCollection.Name)]
public sealed class CensusSiteBrowserTests(CensusTestbed testbed)
{
    /// <summary>Every chart row as the page shows it: card id, key, the count cells' text and data-count, the bars' data-count.</summary>
    private const string ReadCharts = """
        [...document.querySelectorAll('section.card')].flatMap(card => [...card.querySelectorAll('tr[data-key]')].map(tr => ({
          card: card.id, key: tr.dataset.key,
          shown: [...tr.querySelectorAll('td.n[data-count]')].map(td => td.textContent),
          counts: [...tr.querySelectorAll('td.n[data-count]')].map(td => +td.dataset.count),
          bars: [...tr.querySelectorAll('rect[data-count]')].map(r => +r.dataset.count),
          barWidths: [...tr.querySelectorAll('rect[data-count]')].map(r => +r.getAttribute('width')) })))
        """;

    [Fact]
    public async Task Overview_noProblems_chartsShowTheCalculatorsNumbers()
    {
        var site = await TestbedSite.GetAsync(testbed);
        await using var browser = await Chromium.StartAsync();
        var page = await browser.OpenFileAsync(site.Page("index.html"));
        await page.ScreenshotAsync("site-overview");

        Assert.Empty(page.Problems);
        Assert.All(page.Requests, url => Assert.StartsWith("file://", url, StringComparison.Ordinal));
        var stats = site.Statistics;
        Assert.Equal(stats.Results, await page.EvaluateAsync<int>("+document.querySelector('#kpi-results b').textContent"));
        Assert.Equal(stats.Responding, await page.EvaluateAsync<int>("+document.querySelector('#kpi-responding b').textContent"));

        // Every card's table fits its card (the grade card's third column was cut off), and a grade letter such as
        // "A-" stays on one line.
        Assert.Equal(0, await page.EvaluateAsync<int>(
            "[...document.querySelectorAll('.card table.chart')].filter(t => t.getBoundingClientRect().right > t.closest('.card').getBoundingClientRect().right + 1).length"));
        Assert.Equal(0, await page.EvaluateAsync<int>("""
            [...document.querySelectorAll('#grades td.label')].filter(td => {
              const r = document.createRange(); r.selectNodeContents(td);
              return new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top))).size > 1; }).length
            """));

        var rows = (await page.EvaluateAsync<JsonElement>(ReadCharts)).EnumerateArray().ToList();
        List<int> Ints(JsonElement row, string name) => [.. row.GetProperty(name).EnumerateArray().Select(e => e.GetInt32())];
        foreach (var row in rows)
        {
            // What a person reads is the number the chart was drawn from, and every non-zero count has a visible bar.
            Assert.Equal(Ints(row, "counts").Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                row.GetProperty("shown").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(Ints(row, "counts"), Ints(row, "bars"));
            Assert.All(Ints(row, "counts").Zip(Ints(row, "barWidths")), p => Assert.True(p.Item1 == 0 || p.Item2 > 0));
        }

        IEnumerable<(string Key, int[] Counts)> Card(string id) =>
            rows.Where(r => r.GetProperty("card").GetString() == id).Select(r => (r.GetProperty("key").GetString()!, Ints(r, "counts").ToArray()));
        int Of(IReadOnlyList<Count> list, string key) => list.FirstOrDefault(c => c.Key == key)?.Domains ?? 0;
        var ssl = site.SslLabsStatistics;
        var letters = stats.Grades.Concat(stats.GradesIgnoringTrust).Concat(ssl.Grades).Select(g => g.Key).Distinct().Order().ToList();
        Assert.Equal(letters.Select(l => (l, new[] { Of(stats.Grades, l), Of(stats.GradesIgnoringTrust, l), Of(ssl.Grades, l) })).OrderBy(x => x.l),
            Card("grades").OrderBy(x => x.Key), new TupleComparer());
        Assert.Equal(stats.TrustCauses.Select(c => (c.Key, new[] { c.Domains })), Card("trust-causes"), new TupleComparer());
        Assert.Equal(stats.Protocols.Select(c => (c.Key, new[] { c.Domains })), Card("protocols"), new TupleComparer());
        Assert.Equal(stats.KeyTypes.Select(c => (c.Key, new[] { c.Domains })), Card("key-types"), new TupleComparer());
        Assert.Equal(stats.TopIssuers.Select(c => (c.Key, new[] { c.Domains })), Card("top-issuers"), new TupleComparer());
        var features = rows.Where(r => r.GetProperty("card").GetString() is not ("grades" or "trust-causes" or "protocols" or "key-types" or "top-issuers" or "shared-keys"))
            .ToDictionary(r => r.GetProperty("key").GetString()!, r => Ints(r, "counts")[0]);
        Assert.All(stats.Features, f => Assert.Equal(f.Domains, features.GetValueOrDefault(f.Key, -1)));
        Assert.All(features.Where(f => stats.Features.All(s => s.Key != f.Key)), f => Assert.Equal(0, f.Value));

        // The testbed manifest's view under SSL Labs (the third column): expired, self-signed and unknown-CA servers are T
        // in both modes, the wrong name M (xmppscan-2026 adds sha1 to T, so its column is checked against the calculator above),
        // and every served domain but optional.test requires STARTTLS on c2s.
        var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(testbed.Env["TESTBED_MANIFEST"])).RootElement.GetProperty("domains")
            .EnumerateArray().ToList();
        string Verdict(JsonElement d) => d.GetProperty("expect").GetProperty("certificate").GetProperty("verdict").GetString()!;
        Assert.Equal(2 * manifest.Count(d => Verdict(d) is "expired" or "self_signed" or "unknown_ca"), Card("grades").Single(g => g.Key == "T").Counts[2]);
        Assert.Equal(2 * manifest.Count(d => Verdict(d) == "wrong_name"), Card("grades").Single(g => g.Key == "M").Counts[2]);
        Assert.Equal(manifest.Count(d => d.GetProperty("expect").GetProperty("starttls_required").GetProperty("c2s").GetBoolean()),
            features["starttls_required_c2s"]);
    }

    [Fact]
    public async Task DomainTable_sortsByClickedHeader_filtersByTextAndGrade()
    {
        var site = await TestbedSite.GetAsync(testbed);
        await using var browser = await Chromium.StartAsync();
        var page = await browser.OpenFileAsync(site.Page("domains.html"));
        const string visible = "[...document.querySelectorAll('#domains tbody tr')].map(tr => [tr.cells[0].textContent, tr.cells[1].textContent, tr.cells[2].textContent])";
        Assert.Empty(page.Problems);
        Assert.Equal(site.Rows.Count, (await page.EvaluateAsync<string[][]>(visible)).Length);
        Assert.Equal($"{site.Rows.Count} of {site.Rows.Count} results", await page.EvaluateAsync<string>("document.getElementById('count').textContent"));

        await page.ClickAsync("th[data-key=grade]");
        var ascending = await page.EvaluateAsync<string[][]>(visible);
        var ranks = ascending.Select(r => GradeStyle.Rank(r[2] == "–" ? null : r[2])).ToList();
        Assert.Equal(ranks.Order(), ranks);
        Assert.True(ranks[0] < ranks[^1], "the testbed has several grades");
        Assert.Equal("ascending", await page.EvaluateAsync<string>("document.querySelector('th[data-key=grade]').getAttribute('aria-sort')"));
        await page.ClickAsync("th[data-key=grade]");
        var descending = (await page.EvaluateAsync<string[][]>(visible)).Select(r => GradeStyle.Rank(r[2] == "–" ? null : r[2])).ToList();
        Assert.Equal(descending.OrderDescending(), descending);
        await page.ClickAsync("th[data-key=domain]");
        var domains = (await page.EvaluateAsync<string[][]>(visible)).Select(r => r[0]).ToList();
        Assert.Equal(domains.Order(StringComparer.Ordinal), domains);

        await page.TypeAsync("#q", "name");
        var filtered = await page.EvaluateAsync<string[][]>(visible);
        Assert.Equal(site.Rows.Where(r => r.Domain.Contains("name", StringComparison.Ordinal)).Select(r => (r.Domain, r.Mode)).Order(),
            filtered.Select(r => (r[0], r[1])).Order());
        Assert.NotEmpty(filtered);
        await page.ScreenshotAsync("site-domains-filtered");

        await page.EvaluateAsync<bool>("(() => { const q = document.getElementById('q'); q.value = ''; q.dispatchEvent(new Event('input')); " +
            "const g = document.getElementById('grade'); g.value = 'T'; g.dispatchEvent(new Event('input')); return true; })()");
        var untrusted = await page.EvaluateAsync<string[][]>(visible);
        Assert.Equal(site.Rows.Count(r => r.Grade == "T"), untrusted.Length);
        Assert.All(untrusted, r => Assert.Equal("T", r[2]));
        Assert.NotEmpty(untrusted);
        Assert.Empty(page.Problems);
    }

    [Fact]
    public async Task DomainPage_showsTheReportAndItsBadge()
    {
        var site = await TestbedSite.GetAsync(testbed);
        await using var browser = await Chromium.StartAsync();
        var index = await browser.OpenFileAsync(site.Page("domains.html"));
        // Followed from the table as a user would: the link's target is the page.
        await index.ClickAsync("#domains tbody a[href='domain/expired.test.html']");
        await index.WaitForAsync("location.pathname.endsWith('/domain/expired.test.html') && document.readyState === 'complete'");
        await index.ScreenshotAsync("site-domain-expired");

        Assert.Empty(index.Problems);
        Assert.Equal("expired.test", await index.EvaluateAsync<string>("document.querySelector('main h1').textContent"));
        Assert.Equal(2, await index.EvaluateAsync<int>("document.querySelectorAll('section.domain').length"));
        Assert.True(await index.EvaluateAsync<int>("document.querySelector('.badges img').naturalWidth") > 50);
        Assert.Contains("Expired", await index.EvaluateAsync<string>("document.body.innerText"), StringComparison.OrdinalIgnoreCase);
    }

    private sealed class TupleComparer : IEqualityComparer<(string, int[])>
    {
        public bool Equals((string, int[]) x, (string, int[]) y) => x.Item1 == y.Item1 && x.Item2.SequenceEqual(y.Item2);

        public int GetHashCode((string, int[]) obj) => obj.Item1.GetHashCode(StringComparison.Ordinal);
    }
}
