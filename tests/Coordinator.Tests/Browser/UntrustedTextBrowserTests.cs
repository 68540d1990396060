using XmppScanCluster.Coordinator.Reports.Site;
using XmppScanCluster.Coordinator.Tests.Reports.Site;
using XmppScanCluster.Shared.Certificates;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using R = XmppScanCluster.Coordinator.Tests.Aggregation.Reports;

namespace XmppScanCluster.Coordinator.Tests.Browser;

/// <summary>
/// Text a server chose — a certificate subject and issuer with a script, a failure message with an HTML event
/// handler, a domain name with markup and path separators — written into a SQLite store as a node would, reported,
/// and opened on every page of the site: it shows as text, nothing runs (<c>window.__pwned</c> stays undefined),
/// nothing is requested, and the odd domain's page stays inside domain/.
/// </summary>
public sealed class UntrustedTextBrowserTests : IDisposable
{
    private const string Subject = "CN=<script>window.__pwned=1</script>";
    private const string Issuer = "CN=<script>window.__pwned=2</script>";
    private const string Failure = "<img src=x onerror=\"window.__pwned=3\">";
    private const string OddDomain = "../<b onmouseover=window.__pwned=4>x</b>.test";
    private readonly string _dir = Directory.CreateTempSubdirectory("xmppscan-untrusted-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task ScriptInCertificateSubject_showsAsText_runsNothingOnAnyPage()
    {
        var store = "sqlite:" + Path.Combine(_dir, "s.db");
        var evil = R.Endpoint("evil", issuer: Issuer, trust: [TrustProblem.Expired]);
        evil = evil with { Certificate = evil.Certificate! with { Chain = [evil.Certificate.Chain[0] with { Subject = Subject }] } };
        var broken = new DomainReport("broken.test", XmppMode.C2S, ProbeStatus.Failed, new ProbeFailure(FailureKind.StreamError, Failure), null, []);
        await SiteStores.AddCensusAsync(store, "before", [R.Domain("evil.test", R.Endpoint("evil"))]);
        await SiteStores.AddCensusAsync(store, "after", [R.Domain("evil.test", evil), broken, R.Domain(OddDomain, R.Endpoint("odd"))]);
        var site = Path.Combine(_dir, "site");
        var (code, _, error) = await SiteStores.RunAsync("report", "--store", store, "--out", site);
        Assert.True(code == 0, error);

        var oddPage = Path.Combine(site, "domain", SafeFileNames.For(OddDomain) + ".html");
        Assert.True(File.Exists(oddPage), oddPage);
        Assert.Equal(Path.Combine(site, "domain"), Path.GetDirectoryName(oddPage));

        await using var browser = await Chromium.StartAsync();
        foreach (var (file, mustShow) in new[]
                 {
                     // The top-issuers chart labels an issuer by its CN (the full name is on hover).
                     ("index.html", Issuer["CN=".Length..]), ("domains.html", Failure), ("compare.html", "evil.test"),
                     ("domain/evil.test.html", Subject), ("domain/broken.test.html", Failure), (oddPage, OddDomain),
                 })
        {
            var page = await browser.OpenFileAsync(Path.Combine(site, file));
            await page.WaitForAsync("document.readyState === 'complete'");
            await page.ScreenshotAsync("untrusted-" + Path.GetFileNameWithoutExtension(file).Replace('<', '_').Replace('>', '_'));
            Assert.Equal("undefined", await page.EvaluateAsync<string>("typeof window.__pwned"));
            Assert.Contains(mustShow, await page.EvaluateAsync<string>("document.body.innerText"), StringComparison.Ordinal);
            Assert.Equal(0, await page.EvaluateAsync<int>("document.querySelectorAll('main script, [onerror], [onmouseover]').length"));
            Assert.Empty(page.Problems);
            Assert.All(page.Requests, url => Assert.StartsWith("file://", url, StringComparison.Ordinal));
            await page.CloseAsync();
        }
    }
}
