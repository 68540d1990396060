using XmppScanCluster.Coordinator.Cli;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Coordinator.Tests.Support;

namespace XmppScanCluster.Coordinator.Tests.Census;

/// <summary>The blocklist: honoured at planning (domains) and before every connection (addresses).</summary>
[Collection(CensusCollection.Name)]
public sealed class CensusBlocklistTests(CensusTestbed testbed) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("xmppscan-blocklist-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task BlockedDomainIsNotPlanned_blockedAddressIsNeverContacted()
    {
        var targets = Path.Combine(_dir, "blocked.txt");
        File.WriteAllLines(targets, ["intermediate.test", "multi.test", "nosrv.test"]);
        var blocklist = Path.Combine(_dir, "blocklist.txt");
        // nosrv.test's server as the testbed's DNS gives it (its address follows TESTBED_NET).
        var nosrv = File.ReadAllLines(Path.Combine(testbed.Env["TESTBED_DIR"], "conf", "dnsmasq.conf"))
            .First(l => l.StartsWith("host-record=nosrv.test,", StringComparison.Ordinal)).Split(',')[1];
        File.WriteAllLines(blocklist, ["# never these", "multi.test", $"{nosrv}/32   # nosrv.test's server"]);
        var log = Path.Combine(_dir, "connections.log");
        var db = "sqlite:" + Path.Combine(_dir, "blocked.db");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await CliApp.RunAsync(["census", "--targets", targets, "--store", db, "--blocklist", blocklist, "--spacing", "0",
            "--connection-log", log, .. testbed.ScanOptions], stdout, stderr, CancellationToken.None);

        Assert.Equal(0, code);
        Assert.Contains("2 added, 0 already there, 1 blocked", stdout.ToString());
        await using var store = await StoreFactory.OpenAsync(db);
        var census = (await store.FindCensusAsync("blocked"))!.CensusId;
        Assert.Equal(["intermediate.test", "nosrv.test"], (await store.ListTargetsAsync(census, null, 10)).Select(t => t.Domain));
        var reports = new Dictionary<string, XmppScanCluster.Shared.Results.DomainReport>();
        foreach (var stream in (await JournalChecks.ReadAllAsync(store, census)).Select(e => e.TargetId).Distinct())
        {
            var report = Assert.Single(await store.ReadReportsAsync(census, stream));
            reports[report.Domain] = report;
        }

        Assert.Equal(XmppScanCluster.Shared.Results.ProbeStatus.Completed, reports["intermediate.test"].Status);
        Assert.All(reports["nosrv.test"].Endpoints, e => Assert.Equal(XmppScanCluster.Shared.Model.FailureKind.Blocked, e.Failure?.Kind));
        Assert.DoesNotContain(File.ReadAllLines(log), l => l.StartsWith(nosrv + " ", StringComparison.Ordinal) || l.EndsWith(" multi.test", StringComparison.Ordinal));
        Assert.Contains(File.ReadAllLines(log), l => l.EndsWith(" intermediate.test", StringComparison.Ordinal));
    }
}
