using System.Text.Json;
using XmppScanCluster.Coordinator.Tests.Census;

namespace XmppScanCluster.Coordinator.Tests.Browser;

/// <summary>
/// Issue 13 item 9, the per-domain page's "what to fix first" in headless Chromium on the testbed census site:
/// the findings that cap the grade, heaviest cap first, each with the Prosody and ejabberd configuration line when
/// one fixes it. Screenshots go to the tests' output folder (TestOutput), screenshots/.
/// </summary>
[Collection(CensusCollection.Name)]
public sealed class FixFirstBrowserTests(CensusTestbed testbed)
{
    private static readonly string[] Impact = ["F", "T", "M", "E", "D", "C", "B", "A-"];

    private static async Task<List<JsonElement>> ItemsAsync(BrowserPage page) =>
        (await page.EvaluateAsync<JsonElement>("""
            [...document.querySelectorAll('#fix-first li')].map(li => ({
              rule: li.dataset.rule, cap: li.dataset.cap, text: li.innerText,
              prosody: [...li.querySelectorAll('.fix code')].map(c => c.textContent) }))
            """)).EnumerateArray().ToList();

    [Fact]
    public async Task OptionalStartTls_isListedWithTheProsodyLineThatRequiresIt()
    {
        var site = await TestbedSite.GetAsync(testbed);
        await using var browser = await Chromium.StartAsync();
        var page = await browser.OpenFileAsync(site.Page("domain/optional.test.html"));
        await page.ScreenshotAsync("site-fix-first-optional");

        Assert.Empty(page.Problems);
        var items = await ItemsAsync(page);
        var starttls = Assert.Single(items, i => i.GetProperty("rule").GetString() == "starttls_optional");
        Assert.Contains("c2s_require_encryption = true", starttls.GetProperty("prosody").EnumerateArray().Select(c => c.GetString()));
        Assert.Contains("starttls_required: true", starttls.GetProperty("text").GetString(), StringComparison.Ordinal);
        // The list comes before the report's facts: it is what a person reads first.
        Assert.True(await page.EvaluateAsync<bool>(
            "!!(document.getElementById('fix-first').compareDocumentPosition(document.querySelector('.endpoint')) & Node.DOCUMENT_POSITION_FOLLOWING)"));
    }

    [Theory]
    [InlineData("legacy.test")]
    [InlineData("expired.test")]
    [InlineData("rsa1024.test")]
    public async Task Findings_areOrderedByGradeImpact(string domain)
    {
        var site = await TestbedSite.GetAsync(testbed);
        await using var browser = await Chromium.StartAsync();
        var page = await browser.OpenFileAsync(site.Page($"domain/{domain}.html"));
        await page.ScreenshotAsync($"site-fix-first-{domain.Replace(".test", "", StringComparison.Ordinal)}");

        var ranks = (await ItemsAsync(page)).Select(i => Array.IndexOf(Impact, i.GetProperty("cap").GetString())).ToList();
        Assert.NotEmpty(ranks);
        Assert.DoesNotContain(-1, ranks);
        Assert.Equal(ranks.Order(), ranks);
    }
}
