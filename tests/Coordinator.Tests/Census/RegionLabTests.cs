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
        // Each region is a one-node cluster of its own (keep-oldest: a lone node is never downed by the resolver).
        const string nodeArgs = "--targets-in-flight 2 --split-brain keep-oldest";
        regions.Start("near", 1, nodeArgs);
        regions.AddInHost("far", farAddress, "far", 1, $"{nodeArgs} --dns {farDns.EndPoint}", ownCluster: true);

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
    public async Task RegionNodeCutFor60sMidScan_censusCompletesWithEveryResultOnce_andTheMajorityDownsTheCutNode()
    {
        const string victim = "node-eu-3";
        var clock = Stopwatch.StartNew();
        await using var lab = NetLab.Create();
        var p1 = lab.AddHost("p1");
        await using var regions = new RegionLab(testbed, lab, _dir, output);
        // Three nodes of one cluster, the third inside host p1. Keep-majority: cut off, p1's node is the minority and is
        // downed (it downs itself; the two others down it), and its address shards run again on the survivors.
        // One target at a time per node and 8 s between connections to one address: the census outlasts the cut.
        const string partitionArgs = "--targets-in-flight 1 --split-brain keep-majority";
        regions.Start("eu", 2, partitionArgs);
        regions.AddInHost("p1", p1, "eu", 1, partitionArgs);

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
        var cutWall = DateTimeOffset.UtcNow;
        // The partition lasts 60 s whatever happens meanwhile (the scenario, not a pass/fail decision).
        TimeSpan? finishedAt = null;
        var partition = Task.Delay(TimeSpan.FromSeconds(60));

        // The victim was chosen from a journal read that takes seconds under load: it may have completed that target
        // before the cut landed (seen in CI). Its targets cut mid-scan are those it left without completion, read once
        // it has removed itself from the cluster: cut off from the journal and then stopped, it writes nothing more.
        await CensusTestbed.WaitUntilAsync(() => Task.FromResult(regions.NodeLog(victim).Contains("removed from the cluster", StringComparison.Ordinal)),
            TimeSpan.FromMinutes(2), $"{victim} to down itself");
        var atRemoval = await JournalChecks.ReadAllAsync(store, census);
        var completedAtRemoval = atRemoval.Where(e => e.Type == "target_scan_completed").Select(e => e.TargetId).ToHashSet();
        inFlight = [.. atRemoval.Where(e => e.NodeId == victim && !completedAtRemoval.Contains(e.TargetId)).Select(e => e.TargetId).Distinct()];
        var doneAtCut = (await store.GetProgressAsync(census)).Single().TargetsDone;
        output.WriteLine($"{cutAt.TotalSeconds:0.0} s: cut {victim}; {(clock.Elapsed - cutAt).TotalSeconds:0.0} s later it downed itself " +
            $"with {doneAtCut}/{total} done and {inFlight.Count} of its targets unfinished");
        Assert.True(inFlight.Count > 0, $"{victim} completed every target it had started before the cut: nothing was cut mid-scan");
        var victimLate = atRemoval.Where(e => e.NodeId == victim && e.OccurredAt > cutWall.AddSeconds(1)).ToList();
        Assert.True(victimLate.Count == 0, $"{victim} recorded events after the cut: {string.Join(", ", victimLate.Select(e => $"{e.Type} at {e.OccurredAt:HH:mm:ss.fff}"))}");

        while (!partition.IsCompleted)
        {
            if (finishedAt is null && await RegionLab.CensusFinishedAsync(store, census)) finishedAt = clock.Elapsed;
            await Task.WhenAny(partition, Task.Delay(500));
        }

        lab.Heal("p1");
        var healedAt = clock.Elapsed;
        var healedWall = DateTimeOffset.UtcNow;
        output.WriteLine($"{healedAt.TotalSeconds:0.0} s: healed; census finished {(finishedAt is { } f ? $"during the cut, {(f - cutAt).TotalSeconds:0.0} s after it" : "not yet")}");

        // Both watched in one loop: the census finishing, and the region's view after the heal — the feeder reports
        // the two survivors up and reachable and no member at p1's address (the cut node was downed, not re-admitted:
        // a downed node must restart to join again).
        TimeSpan? settled = null;
        IReadOnlyList<ClusterMember> members = [];
        await CensusTestbed.WaitUntilAsync(async () =>
        {
            if (finishedAt is null && await RegionLab.CensusFinishedAsync(store, census)) finishedAt = clock.Elapsed;
            members = [.. (await store.ListClusterMembersAsync()).Where(m => m.Region == "eu" && m.ReportedAt > healedWall)];
            if (settled is null && members.Count(m => m.Status == "up" && m.Reachable) == 2
                && members.All(m => !m.Address.Contains(p1, StringComparison.Ordinal))) settled = clock.Elapsed;
            return finishedAt is not null && settled is not null;
        }, TimeSpan.FromMinutes(5), $"the census to finish and the region to report {victim} gone");
        Assert.Contains("removed from the cluster", regions.NodeLog(victim), StringComparison.Ordinal);

        var all = await JournalChecks.ReadAllAsync(store, census);
        JournalChecks.EveryTargetExactlyOnce(all, total, modes: 1);
        Assert.All(await store.GetProgressAsync(census), p => Assert.Equal(0, p.TargetsRemaining));
        var completedBy = all.Where(e => e.Type == "target_scan_completed").ToDictionary(e => e.TargetId, e => e.NodeId);
        var takenOver = inFlight.Count(t => completedBy[t] != victim);
        Assert.Equal(inFlight.Count, takenOver); // the downed node finished none of them: its shards ran on the survivors
        output.WriteLine($"{settled!.Value.TotalSeconds:0.0} s: region reports {string.Join(", ", members.Select(m => $"{m.Address} {m.Status}"))}; " +
            $"census finished at {finishedAt!.Value.TotalSeconds:0.0} s ({(finishedAt!.Value - healedAt).TotalSeconds:+0.0;-0.0} s from the heal); of its {inFlight.Count} in-flight targets {takenOver} were completed by another node; " +
            "completions per node: " + string.Join(", ", completedBy.Values.GroupBy(n => n).Select(g => $"{g.Key}={g.Count()}")));
        output.WriteLine($"{victim} log:\n{string.Join('\n', regions.NodeLog(victim).Split('\n').TakeLast(30))}");
    }
}
