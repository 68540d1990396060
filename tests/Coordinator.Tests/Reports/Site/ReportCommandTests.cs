using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Coordinator.Tests.Aggregation;

namespace XmppScanCluster.Coordinator.Tests.Reports.Site;

/// <summary><c>xmppscan report</c> without a browser: what it writes, and one clear line with exit code 2 for bad input.</summary>
public sealed class ReportCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("xmppscan-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Store => "sqlite:" + Path.Combine(_dir, "s.db");

    [Fact]
    public async Task TwoCensuses_latestReportedAndComparedWithThePrevious()
    {
        await SiteStores.AddCensusAsync(Store, "january", [Aggregation.Reports.Domain("up.test", Aggregation.Reports.Endpoint("up", protocols: ["TLSv1.0"])),
            Aggregation.Reports.Domain("gone.test", Aggregation.Reports.Endpoint("gone"))]);
        await SiteStores.AddCensusAsync(Store, "february", [Aggregation.Reports.Domain("up.test", Aggregation.Reports.Endpoint("up")),
            Aggregation.Reports.Domain("new.test", Aggregation.Reports.Endpoint("new", trust: [Shared.Certificates.TrustProblem.Expired]))]);
        var site = Path.Combine(_dir, "site");

        var (code, output, error) = await SiteStores.RunAsync("report", "--store", Store, "--out", site);

        Assert.True(code == 0, error);
        Assert.Contains("census 'february'", output, StringComparison.Ordinal);
        Assert.Contains($"open {new Uri(Path.Combine(site, "index.html")).AbsoluteUri}", output, StringComparison.Ordinal);
        foreach (var file in (string[])["index.html", "domains.html", "domains.js", "site.js", "site.css", "report.css", "compare.html", "domains.csv",
                     "domains.json", "statistics.json", "domain/up.test.html", "domain/new.test.html", "badge/up.test.svg", "badge/new.test.svg"])
        {
            Assert.True(File.Exists(Path.Combine(site, file)), file);
        }

        Assert.False(File.Exists(Path.Combine(site, "domain", "gone.test.html")));
        var compare = await File.ReadAllTextAsync(Path.Combine(site, "compare.html"));
        Assert.Contains("Improved (1)", compare, StringComparison.Ordinal);
        Assert.Contains("New in this census (1)", compare, StringComparison.Ordinal);
        Assert.Contains("Gone since the previous census (1)", compare, StringComparison.Ordinal);
        Assert.Contains("c2s T", await File.ReadAllTextAsync(Path.Combine(site, "badge", "new.test.svg")), StringComparison.Ordinal);

        // The earlier census by name, no comparison: its pages replace the others, compare.html goes.
        (code, _, error) = await SiteStores.RunAsync("report", "--store", Store, "--census", "january", "--out", site);
        Assert.True(code == 0, error);
        Assert.False(File.Exists(Path.Combine(site, "compare.html")));
        Assert.True(File.Exists(Path.Combine(site, "domain", "gone.test.html")));
        Assert.False(File.Exists(Path.Combine(site, "domain", "new.test.html")));
    }

    [Fact]
    public async Task BadInput_oneLineAndExitCode2()
    {
        var site = Path.Combine(_dir, "site");
        await AssertUsage(["report", "--store", Path.Combine(_dir, "missing.db"), "--out", site], "no store at");

        await (await StoreFactory.OpenAsync(Store)).DisposeAsync();
        await AssertUsage(["report", "--store", Store, "--out", site], "holds no census");

        await SiteStores.AddCensusAsync(Store, "only", [Aggregation.Reports.Domain("a.test", Aggregation.Reports.Endpoint("a"))]);
        await AssertUsage(["report", "--store", Store, "--census", "nope", "--out", site], "no census named 'nope'");
        await AssertUsage(["report", "--store", Store, "--compare", "nope", "--out", site], "no census named 'nope'");
        await AssertUsage(["report", "--store", Store, "--region", "mars", "--out", site], "--region mars");
        var file = Path.Combine(_dir, "a-file");
        await File.WriteAllTextAsync(file, "");
        await AssertUsage(["report", "--store", Store, "--out", file], "is a file");
        await AssertUsage(["report", "--store", Store, "--out", "/proc/xmppscan-site"], "cannot write");
        await AssertUsage(["report", "--store", "mysql://x", "--out", site], "unknown store scheme");
        Assert.False(Directory.Exists(site));
    }

    private static async Task AssertUsage(string[] args, string message)
    {
        var (code, output, error) = await SiteStores.RunAsync(args);
        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.DoesNotContain("open file:", output, StringComparison.Ordinal);
    }
}
