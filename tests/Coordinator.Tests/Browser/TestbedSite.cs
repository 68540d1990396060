using XmppScanCluster.Coordinator.Aggregation;
using XmppScanCluster.Coordinator.Census;
using XmppScanCluster.Coordinator.Reports.Site;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Coordinator.Tests.Census;
using XmppScanCluster.Coordinator.Tests.Reports.Site;

namespace XmppScanCluster.Coordinator.Tests.Browser;

/// <summary>
/// One real census of every testbed domain in both modes (embedded SQLite, fast spacing for loopback), reported
/// with <c>xmppscan report</c> into the tests' output folder, browser-site/ (kept for a look after the run), built once per
/// test process; and the statistics and rows the site should show, computed independently from the same store.
/// </summary>
internal sealed record TestbedSite(string Directory, CensusStatistics Statistics, CensusStatistics SslLabsStatistics, IReadOnlyList<DomainRow> Rows)
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static TestbedSite? _built;

    public string Page(string name) => Path.Combine(Directory, name);

    public static async Task<TestbedSite> GetAsync(CensusTestbed testbed)
    {
        await Gate.WaitAsync();
        try
        {
            return _built ??= await BuildAsync(testbed);
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<TestbedSite> BuildAsync(CensusTestbed testbed)
    {
        var root = Path.Combine(TestOutput.Root, "browser-site");
        if (System.IO.Directory.Exists(root))
        {
            System.IO.Directory.Delete(root, recursive: true);
        }

        System.IO.Directory.CreateDirectory(root);
        var targets = testbed.WriteTargets(root);
        var store = "sqlite:" + Path.Combine(root, "census.db");
        var census = await SiteStores.RunAsync(["census", "--targets", targets, "--store", store, "--name", "testbed", "--mode", "both",
            "--spacing", "0.05", "--log", Path.Combine(root, "node.log"), .. testbed.ScanOptions]);
        Assert.True(census.Code == 0, census.Err);
        var site = Path.Combine(root, "site");
        var report = await SiteStores.RunAsync("report", "--store", store, "--out", site);
        Assert.True(report.Code == 0, report.Err);

        await using var opened = await StoreFactory.OpenAsync(store);
        var info = (await opened.FindCensusAsync("testbed"))!;
        // The rows graded as `xmppscan report` grades them: with the policy stored with the census.
        Assert.True(Coordinator.Grading.Policies.TryGet(info.GradingPolicy, out var policy), info.GradingPolicy);
        var view = await CensusView.LoadAsync(opened, info, policy, null);
        // The statistics straight from the calculator, not from the site's code path.
        // Under the census's own policy (what the site shows first) and under ssllabs-2009r (the grey bar beside it).
        var statistics = await Aggregator.ComputeAsync(opened, info, policy);
        var sslLabs = await Aggregator.ComputeAsync(opened, info, Coordinator.Grading.Policies.SslLabs2009r);
        return new TestbedSite(site, statistics, sslLabs, view.Rows);
    }
}
