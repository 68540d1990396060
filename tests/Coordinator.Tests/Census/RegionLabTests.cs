using System.Diagnostics;
using System.Net;
using XmppScanCluster.Coordinator.Aggregation;
using XmppScanCluster.Coordinator.Cli;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Coordinator.Tests.Netlab;
using Xunit.Abstractions;

namespace XmppScanCluster.Coordinator.Tests.Census;

/// <summary>
/// Regions as real node processes on a real network path (deploy/netlab + deploy/cluster, PostgreSQL, the testbed):
/// a far region inside a namespace behind a 100 ms round trip whose DNS leads to a STARTTLS-stripping proxy, and a
/// region node whose link is cut for 60 s while it scans.
/// </summary>
[Collection(CensusCollection.Name)]
public sealed class RegionLabTests(CensusTestbed testbed, ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("xmppscan-regionlab-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task FarRegionBehind100msWithStrippingProxy_bothRegionsComplete_andTheStrippingIsFlagged()
    {
        var clock = Stopwatch.StartNew();
        await using var lab = NetLab.Create();
        var farAddress = lab.AddHost("far", delayMs: 50);
        var dnsConf = Path.Combine(testbed.Env["TESTBED_DIR"], "conf", "dnsmasq.conf");
        var modernLine = File.ReadAllLines(dnsConf).First(l => l.StartsWith("host-record=xmpp.modern.test,", StringComparison.Ordinal));
        var proxyAddress = NetLab.RootAddress(10);
        await using var proxy = StartTlsStrippingProxy.Start(IPAddress.Parse(proxyAddress), IPAddress.Parse(modernLine.Split(',')[1]), 5222, 5223);
        await using var farDns = await RegionDns.StartAsync(dnsConf,
            new Dictionary<string, string> { [modernLine] = $"host-record=xmpp.modern.test,{proxyAddress}" }, NetLab.RootAddress(53));
        var rtt = lab.RoundTripMs("far", proxyAddress);
        output.WriteLine($"far host {farAddress}: median RTT to the proxy {rtt} ms");
        Assert.InRange(rtt ?? 0, 100, 1000);

        await using var regions = new RegionLab(testbed, lab, _dir, output);
        const string nodeArgs = "--poll-seconds 0.5 --targets-in-flight 2 --lease-seconds 10";
        regions.Start("near", 1, nodeArgs);
        regions.AddInHost("far", "far", 1, $"{nodeArgs} --dns {farDns.EndPoint}");

        var targets = Path.Combine(_dir, "vantage.txt");
        File.WriteAllLines(targets, ["modern.test", "ecdsa.test", "multi.test"]);
        using var plan = new StringWriter();
        Assert.Equal(0, await CliApp.RunAsync(["census", "--targets", targets, "--store", regions.Url, "--no-node", "--regions", "near,far",
            "--spacing", "0.1", "--depth", "session", .. testbed.ScanOptions], plan, plan, CancellationToken.None));
        output.WriteLine(plan.ToString());

        await using var store = await StoreFactory.OpenAsync(regions.Url);
        var census = (await store.FindCensusAsync("vantage"))!;
        var finished = new Dictionary<string, TimeSpan>();
        var planned = clock.Elapsed;
        await CensusTestbed.WaitUntilAsync(async () =>
        {
            foreach (var p in await store.GetProgressAsync(census.CensusId))
            {
                if (p.TargetsRemaining == 0) finished.TryAdd(p.Region, clock.Elapsed - planned);
            }

            return finished.Count == 2;
        }, TimeSpan.FromMinutes(5), "both regions to finish");
        output.WriteLine($"finished after planning: {string.Join(", ", finished.Select(f => $"{f.Key} {f.Value.TotalSeconds:0.0} s"))}");

        // The far node scanned from inside its host: its connections reached the proxy from the host's own address.
        Assert.True(proxy.Stripped > 0, "the far node never went through the proxy");
        Assert.Equal(farAddress, Assert.Single(proxy.Clients).ToString());
        var events = await JournalChecks.ReadAllAsync(store, census.CensusId);
        JournalChecks.EveryTargetExactlyOnce(events, targets: 6, modes: 1);
        Assert.All(events.Where(e => e.Region == "far"), e => Assert.Equal("node-far-2", e.NodeId));
        Assert.All(events.Where(e => e.Region == "near"), e => Assert.Equal("node-near-1", e.NodeId));

        var stats = await Aggregator.ComputeAsync(store, census, XmppScanCluster.Coordinator.Grading.Policies.SslLabs2009r);
        var flagged = Assert.Single(stats.Disagreements);
        Assert.Equal(("modern.test", "xmpp.modern.test:5222 starttls", "starttls"), (flagged.Domain, flagged.Endpoint, flagged.Kind));
        Assert.Equal("STARTTLS offered in near, missing in far", flagged.Summary);
        using var stdout = new StringWriter();
        Assert.Equal(0, await CliApp.RunAsync(["census", "stats", "--store", regions.Url, "--name", "vantage"], stdout, TextWriter.Null, CancellationToken.None));
        output.WriteLine(stdout.ToString());
        Assert.Contains("modern.test c2s xmpp.modern.test:5222 starttls [starttls]: STARTTLS offered in near, missing in far", stdout.ToString(),
            StringComparison.Ordinal);
        output.WriteLine($"total {clock.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task RegionNodeCutFor60sMidScan_censusCompletesWithEveryResultOnce_andTheNodeRejoins()
    {
        const string victim = "node-eu-3";
        var clock = Stopwatch.StartNew();
        await using var lab = NetLab.Create();
        lab.AddHost("p1");
        await using var regions = new RegionLab(testbed, lab, _dir, output);
        // Short leases: the survivors take the cut node's shards over 4 s after its last renewal.
        // One target at a time per node and 8 s between connections to one address: the census should outlast the
        // partition (at 3 s it ended 28 s into the cut), so the healed node comes back to a census still running.
        const string partitionArgs = "--poll-seconds 0.5 --targets-in-flight 1 --lease-seconds 4";
        regions.Start("eu", 2, partitionArgs);
        regions.AddInHost("p1", "eu", 1, partitionArgs);

        var targets = testbed.WriteTargets(_dir);
        var total = File.ReadAllLines(targets).Count(l => !l.StartsWith('#'));
        using var plan = new StringWriter();
        Assert.Equal(0, await CliApp.RunAsync(["census", "--targets", targets, "--store", regions.Url, "--no-node", .. testbed.ScanOptions,
            "--spacing", "8", "--depth", "session", "--regions", "eu"], plan, plan, CancellationToken.None));
        await using var store = await StoreFactory.OpenAsync(regions.Url);
        var census = (await store.FindCensusAsync("testbed-targets"))!.CensusId;

        // Cut while the node in p1 has a target started and not completed: an event of its own in an unfinished stream.
        List<Guid> inFlight = [];
        await CensusTestbed.WaitUntilAsync(async () =>
        {
            var events = await JournalChecks.ReadAllAsync(store, census);
            var completed = events.Where(e => e.Type == "target_scan_completed").Select(e => e.TargetId).ToHashSet();
            inFlight = [.. events.Where(e => e.NodeId == victim && !completed.Contains(e.TargetId)).Select(e => e.TargetId).Distinct()];
            return inFlight.Count > 0;
        }, TimeSpan.FromMinutes(3), $"{victim} mid-scan");
        lab.Cut("p1");
        var cutAt = clock.Elapsed;
        var doneAtCut = (await store.GetProgressAsync(census)).Single().TargetsDone;
        output.WriteLine($"{cutAt.TotalSeconds:0.0} s: cut {victim} with {doneAtCut}/{total} done, {inFlight.Count} of its targets in flight");

        // The partition lasts 60 s whatever happens meanwhile (the scenario, not a pass/fail decision).
        TimeSpan? finishedAt = null;
        var partition = Task.Delay(TimeSpan.FromSeconds(60));
        while (!partition.IsCompleted)
        {
            if (finishedAt is null && await RegionLab.CensusFinishedAsync(store, census)) finishedAt = clock.Elapsed;
            await Task.WhenAny(partition, Task.Delay(500));
        }

        lab.Heal("p1");
        var healedAt = clock.Elapsed;
        var healedWall = DateTimeOffset.UtcNow;
        output.WriteLine($"{healedAt.TotalSeconds:0.0} s: healed; census finished {(finishedAt is { } f ? $"during the cut, {(f - cutAt).TotalSeconds:0.0} s after it" : "not yet")}");

        // Both watched in one loop, so each instant is measured on its own: the census finishing, and the cut node back
        // at the store (a heartbeat newer than the heal).
        TimeSpan? rejoined = null;
        await CensusTestbed.WaitUntilAsync(async () =>
        {
            if (finishedAt is null && await RegionLab.CensusFinishedAsync(store, census)) finishedAt = clock.Elapsed;
            if (rejoined is null && (await store.ListNodesAsync()).Single(n => n.NodeId == victim).HeartbeatAt > healedWall) rejoined = clock.Elapsed;
            return finishedAt is not null && rejoined is not null;
        }, TimeSpan.FromMinutes(5), $"the census to finish and {victim} to reach the store again");
        var rejoinedAt = rejoined!.Value;
        // Whatever it still held from before the cut has settled: it holds no lease.
        await CensusTestbed.WaitUntilAsync(async () => (await store.ListLeasesAsync()).All(l => l.NodeId != victim),
            TimeSpan.FromMinutes(3), $"{victim} to hold no lease");

        var all = await JournalChecks.ReadAllAsync(store, census);
        JournalChecks.EveryTargetExactlyOnce(all, total, modes: 1);
        Assert.All(await store.GetProgressAsync(census), p => Assert.Equal(0, p.TargetsRemaining));
        var completedBy = all.Where(e => e.Type == "target_scan_completed").ToDictionary(e => e.TargetId, e => e.NodeId);
        var takenOver = inFlight.Count(t => completedBy[t] != victim);
        output.WriteLine($"{rejoinedAt.TotalSeconds:0.0} s: {victim} reached the store again ({(rejoinedAt - healedAt).TotalSeconds:0.0} s after the heal); " +
            $"census finished at {finishedAt!.Value.TotalSeconds:0.0} s ({(finishedAt!.Value - healedAt).TotalSeconds:+0.0;-0.0} s from the heal); of its {inFlight.Count} in-flight targets {takenOver} were completed by another node; " +
            "completions per node: " + string.Join(", ", completedBy.Values.GroupBy(n => n).Select(g => $"{g.Key}={g.Count()}")));
        output.WriteLine($"{victim} log:\n{string.Join('\n', regions.NodeLog(victim).Split('\n').TakeLast(30))}");
    }
}
