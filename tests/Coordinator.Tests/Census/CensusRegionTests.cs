using XmppScanCluster.Coordinator.Cli;
using XmppScanCluster.Coordinator.Cluster;
using XmppScanCluster.Coordinator.Store;

namespace XmppScanCluster.Coordinator.Tests.Census;

/// <summary>Vantage regions: one census planned for two regions, one in-process node per region.</summary>
[Collection(CensusCollection.Name)]
public sealed class CensusRegionTests(CensusTestbed testbed) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("xmppscan-regions-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task TwoRegions_eachNodeScansEveryTargetInItsOwnStream()
    {
        var targets = Path.Combine(_dir, "three.txt");
        File.WriteAllLines(targets, ["modern.test", "multi.test", "nosvc.test"]);
        var db = "sqlite:" + Path.Combine(_dir, "regions.db");
        using var plan = new StringWriter();
        Assert.Equal(0, await CliApp.RunAsync(["census", "--targets", targets, "--store", db, "--no-node", "--regions", "eu, us", "--depth", "session",
            "--spacing", "0.1", .. testbed.ScanOptions], plan, plan, CancellationToken.None));
        Assert.Contains("regions eu,us", plan.ToString());

        await using var store = await StoreFactory.OpenAsync(db);
        var census = (await store.FindCensusAsync("three"))!.CensusId;
        // Two regions, two one-node clusters in this process (actor systems xmppscan-eu and xmppscan-us).
        await Task.WhenAll(new[] { "eu", "us" }.Select(region => ScanClusterNode.RunUntilFinishedAsync(
            new NodeRuntime(store, new XmppScanCluster.ScanNode.Node.NodeOptions { NodeId = "node-" + region, Region = region }, TextWriter.Null),
            new ClusterOptions(), census, new CancellationTokenSource(TimeSpan.FromSeconds(90)).Token)));

        Assert.All(await store.GetProgressAsync(census), p => Assert.Equal(0, p.TargetsRemaining));
        var events = await JournalChecks.ReadAllAsync(store, census);
        JournalChecks.EveryTargetExactlyOnce(events, targets: 6, modes: 1);
        foreach (var target in await store.ListTargetsAsync(census, null, 10))
        {
            foreach (var region in new[] { "eu", "us" })
            {
                var stream = events.Where(e => e.TargetId == XmppScanCluster.Shared.Events.TargetStreams.For(target.TargetId, region)).ToList();
                Assert.NotEmpty(stream);
                Assert.All(stream, e => Assert.Equal(region, e.Region));
                Assert.All(stream, e => Assert.Equal("node-" + region, e.NodeId));
            }
        }
    }
}
