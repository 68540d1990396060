using System.Text.Json;
using XmppScanCluster.Coordinator.Tests.Census;

namespace XmppScanCluster.Coordinator.Tests.Browser;

/// <summary>
/// Issue 13 item 8 in headless Chromium on the testbed census site: pages read as words, not enum or key names
/// (NotApplicable, NotStapled, NoRecords, "Rsa 2048", key_too_small), and the top-issuers chart labels tell the
/// issuers apart (the CN that differs) with the full name on hover. Screenshots go to the tests' output folder (TestOutput), screenshots/.
/// </summary>
[Collection(CensusCollection.Name)]
public sealed class WordsBrowserTests(CensusTestbed testbed)
{
    /// <summary>Enum and key spellings a person should never read.</summary>
    private static readonly string[] EnumNames =
        ["NotApplicable", "NotTested", "NotStapled", "NotChecked", "NoRecords", "NotOffered", "Rsa 2048", "Rsa 1024", "key_too_small", "self_signed",
         "unknown_issuer", "wrong_name", "incomplete_chain"];

    [Theory]
    [InlineData("index.html", "site-words-overview")]
    [InlineData("domains.html", "site-words-domains")]
    [InlineData("domain/modern.test.html", "site-words-modern")]
    [InlineData("domain/rsa1024.test.html", "site-words-rsa1024")]
    [InlineData("domain/selfsigned.test.html", "site-words-selfsigned")]
    public async Task Page_readsAsWords_notEnumNames(string name, string screenshot)
    {
        var site = await TestbedSite.GetAsync(testbed);
        await using var browser = await Chromium.StartAsync();
        var page = await browser.OpenFileAsync(site.Page(name));
        await page.WaitForAsync("document.readyState === 'complete'");
        await page.ScreenshotAsync(screenshot);

        Assert.Empty(page.Problems);
        var text = await page.EvaluateAsync<string>("document.body.innerText");
        Assert.All(EnumNames, e => Assert.DoesNotContain(e, text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task DomainPage_saysNoOcspStapleAndRsaBits()
    {
        var site = await TestbedSite.GetAsync(testbed);
        await using var browser = await Chromium.StartAsync();
        var page = await browser.OpenFileAsync(site.Page("domain/rsa1024.test.html"));
        var text = await page.EvaluateAsync<string>("document.body.innerText");
        Assert.Contains("no OCSP staple", text, StringComparison.Ordinal);
        Assert.Contains("RSA 1024 bits", text, StringComparison.Ordinal);
        Assert.Contains("not applicable", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TopIssuers_labelsDiffer_andTheFullNameIsOnHover()
    {
        var site = await TestbedSite.GetAsync(testbed);
        await using var browser = await Chromium.StartAsync();
        var page = await browser.OpenFileAsync(site.Page("index.html"));
        await page.EvaluateAsync<bool>("document.getElementById('top-issuers').scrollIntoView(), true");
        await page.ScreenshotAsync("site-words-top-issuers");
        var rows = (await page.EvaluateAsync<JsonElement>("""
            [...document.querySelectorAll('#top-issuers tr[data-key]')].map(tr => {
              const td = tr.querySelector('td.label');
              return { key: tr.dataset.key, label: td.textContent, title: td.title, cut: td.scrollWidth > td.clientWidth };
            })
            """)).EnumerateArray().ToList();

        Assert.True(rows.Count >= 2, "the testbed has several issuers");
        Assert.Equal(rows.Count, rows.Select(r => r.GetProperty("label").GetString()).Distinct().Count());
        Assert.All(rows, r => Assert.Equal(r.GetProperty("key").GetString(), r.GetProperty("title").GetString()));
        Assert.All(rows, r => Assert.False(r.GetProperty("cut").GetBoolean(), $"label cut: {r.GetProperty("label")}"));
    }
}
