using XmppScanCluster.Coordinator.Tests.Support;
using System.Text.Json;
using XmppScanCluster.Coordinator.Aggregation;
using XmppScanCluster.Coordinator.Cli;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Results;
using static XmppScanCluster.Coordinator.Tests.Support.InProcessCli;

namespace XmppScanCluster.Coordinator.Tests.Census;

/// <summary><c>xmppscan census stats</c> on stored censuses: the counts of a real testbed census, and re-grading.</summary>
[Collection(CensusCollection.Name)]
public sealed class CensusStatsTests(CensusTestbed testbed) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("xmppscan-stats-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task EmbeddedCensus_statsCountRespondingGradesAndTrustCauses()
    {
        var targets = Path.Combine(_dir, "small.txt");
        File.WriteAllLines(targets, ["modern.test", "expired.test", "wrongname.test", "nosvc.test"]);
        var db = "sqlite:" + Path.Combine(_dir, "small.db");
        var census = await RunCliAsync(["census", "--targets", targets, "--store", db, "--spacing", "0.1", "--depth", "session", "--log", Path.Combine(_dir, "node.log"), .. testbed.ScanOptions]);
        Assert.True(census.Code == 0, census.Err);

        var (code, json, err) = await RunCliAsync("census", "stats", "--store", db, "--name", "small", "--json");
        Assert.True(code == 0, err);
        var stats = JsonDocument.Parse(json).RootElement;
        Assert.Equal((4, 3, 1), (stats.GetProperty("results").GetInt32(), stats.GetProperty("responding").GetInt32(), stats.GetProperty("not_responding").GetInt32()));
        Assert.Equal(1, StatCount(stats, "grades", "T"));
        Assert.Equal(1, StatCount(stats, "grades", "M"));
        Assert.Equal(1, StatCount(stats, "trust_causes", "expired"));
        Assert.Equal(1, StatCount(stats, "trust_causes", "wrong_name"));
        Assert.Equal(3, StatCount(stats, "features", "starttls_required_c2s"));
        Assert.Empty(stats.GetProperty("disagreements").EnumerateArray());

        var text = await RunCliAsync("census", "stats", "--store", db);
        Assert.Equal(2, (await RunCliAsync("census", "stats", "--store", db, "--name", "other")).Code);
        Assert.Contains("responding: 3   not responding: 1", text.Out, StringComparison.Ordinal);
        Assert.Contains("vantage disagreements:\n  none", text.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoredLegacyResult_regradedUnderTwoPolicies_isFthenD()
    {
        // Results imported from a full `xmppscan scan` of legacy.test, appended as the domain_scan_completed a node
        // writes (a census at depth full stores the same facts: CensusDepthTests).
        var file = Path.Combine(_dir, "legacy.json");
        var scan = await RunCliAsync(["scan", .. testbed.ScanOptions, "--skip", "vulnerabilities,clients", "--json", file, "legacy.test"]);
        Assert.True(File.Exists(file), scan.Err);
        var report = ResultJson.Deserialize(await File.ReadAllTextAsync(file))!;

        var db = "sqlite:" + Path.Combine(_dir, "regrade.db");
        await using (var store = await StoreFactory.OpenAsync(db))
        {
            var census = await store.CreateCensusAsync(new CensusDefinition("regrade", "{}", XmppScanCluster.Coordinator.Grading.Policies.SslLabs, ["default"]));
            var target = Assert.Single((await store.AddTargetsAsync(census.CensusId, ["legacy.test"])).Added);
            var origin = new EventOrigin(census.CensusId, TargetStreams.For(target.TargetId, "default"), "import", "default");
            await store.AppendAsync([.. report.Domains.Select((d, i) =>
                EventTypeRegistry.Default.Create(new DomainScanCompleted(d), origin, i + 1, DateTimeOffset.UtcNow))]);

            var aggregator = new Aggregator(store, census.CensusId);
            Assert.Equal(1, await aggregator.CatchUpAsync());
            Assert.Equal("F", Assert.Single(aggregator.Results(XmppScanCluster.Coordinator.Grading.Policies.SslLabs2009r)).Grade!.Grade);
            Assert.Equal("D", Assert.Single(aggregator.Results(XmppScanCluster.Coordinator.Grading.Policies.Xmppoke2015)).Grade!.Grade);
            Assert.Equal(0, await aggregator.CatchUpAsync());
        }

        foreach (var (policy, letter) in new[] { ("ssllabs-2009r", "F"), ("xmppoke-2015", "D") })
        {
            var (code, json, err) = await RunCliAsync("census", "stats", "--store", db, "--name", "regrade", "--policy", policy, "--json");
            Assert.True(code == 0, err);
            var stats = JsonDocument.Parse(json).RootElement;
            Assert.Equal(policy, stats.GetProperty("policy").GetString());
            Assert.Equal(1, StatCount(stats, "grades", letter));
            Assert.Equal(1, StatCount(stats, "features", "forward_secrecy_some") + StatCount(stats, "features", "forward_secrecy_none"));
        }
    }
}
