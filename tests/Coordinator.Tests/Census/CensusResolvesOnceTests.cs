using System.Globalization;
using XmppScanCluster.Coordinator.Cluster;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.ScanNode.Node;
using static XmppScanCluster.Coordinator.Tests.Support.InProcessCli;

namespace XmppScanCluster.Coordinator.Tests.Census;

/// <summary>
/// Each target resolved once (issue 14): the census's planner resolves every target to cut shards by address, and the
/// discover step takes that result instead of asking again while the answers' TTL lasts — the embedded node from the
/// planner's memory, a node of its own (<c>census --no-node</c>, then a node runtime that shares nothing with the planner
/// but the store, as an <c>xmppscan node</c> process does) from the census store. Counted at a real DNS server: a dnsmasq
/// of the test's own serving the testbed's records, logging every question it is asked.
/// </summary>
[Collection(CensusCollection.Name)]
public sealed class CensusResolvesOnceTests(CensusTestbed testbed, Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private static readonly string[] Domains = ["modern.test", "legacy.test", "intermediate.test"];
    private static readonly string[] Services = ["_xmpp-client._tcp", "_xmpps-client._tcp", "_xmpp-server._tcp", "_xmpps-server._tcp"];
    private readonly string _dir = Directory.CreateTempSubdirectory("xmppscan-dnsonce-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public Task Census_recordsWithATtl_everySrvNameAskedOnce_withTtlZero_askedAgainWhenScanned() =>
        TtlThenNoTtlAsync(separateNode: false, 53);

    [Fact]
    public Task CensusScannedByASeparateNode_recordsWithATtl_everySrvNameAskedOnce_withTtlZero_askedAgainWhenScanned() =>
        TtlThenNoTtlAsync(separateNode: true, 55);

    private async Task TtlThenNoTtlAsync(bool separateNode, int lastOctet)
    {
        var free = Environment.GetEnvironmentVariable("XMPPSCAN_FREE_NET") is { Length: > 0 } net ? net : "127.192";
        var conf = Path.Combine(testbed.Env["TESTBED_DIR"], "conf", "dnsmasq.conf");
        var empty = new Dictionary<string, string>();
        var how = separateNode ? "separate" : "embedded";

        // Records with a TTL of 5 minutes: planning's answers are still valid when the targets are scanned.
        await using (var dns = await RegionDns.StartAsync(conf, empty, $"{free}.8.{lastOctet}", ["log-queries", "local-ttl=300"]))
        {
            var asked = await CensusAsync($"{how}-ttl300", dns, separateNode);
            Assert.All(asked, a => Assert.True(a.Value == 1, $"{a.Key} asked {a.Value} times with a TTL of 300 s ({how} node)"));
        }

        // dnsmasq's default TTL of 0 for its own records says "do not reuse": the discover step asks again.
        await using (var dns = await RegionDns.StartAsync(conf, empty, $"{free}.8.{lastOctet + 1}", ["log-queries"]))
        {
            var asked = await CensusAsync($"{how}-ttl0", dns, separateNode);
            Assert.All(asked, a => Assert.True(a.Value == 2, $"{a.Key} asked {a.Value} times with a TTL of 0 ({how} node)"));
        }
    }

    /// <summary>A session-depth census of the three domains in both modes through <paramref name="dns"/>, scanned by the
    /// census command's own node or by a <paramref name="separateNode"/>; how often each of their SRV names was asked.</summary>
    private async Task<Dictionary<string, int>> CensusAsync(string name, RegionDns dns, bool separateNode)
    {
        var targets = Path.Combine(_dir, name + ".txt");
        await File.WriteAllLinesAsync(targets, Domains);
        string[] options = [.. testbed.ScanOptions];
        options[Array.IndexOf(options, "--dns") + 1] = dns.EndPoint.ToString();
        var store = "sqlite:" + Path.Combine(_dir, name + ".db");
        var run = await RunCliAsync(["census", "--targets", targets, "--store", store, "--depth", "session",
            "--mode", "both", "--spacing", "0", "--log", Path.Combine(_dir, name + "-node.log"), .. options, .. separateNode ? ["--no-node"] : Array.Empty<string>()]);
        Assert.True(run.Code == 0, run.Err + run.Out);
        if (separateNode)
        {
            // The node shares nothing with the planner but the store; it resolves with the census's DNS (no --dns of its own).
            await using var opened = await StoreFactory.OpenAsync(store);
            var census = (await opened.FindCensusAsync(name))!.CensusId;
            using var log = new StreamWriter(Path.Combine(_dir, name + "-separate.log"));
            Assert.True(await ScanClusterNode.RunUntilFinishedAsync(new NodeRuntime(opened, new NodeOptions { NodeId = "separate" }, log),
                new ClusterOptions(), census, new CancellationTokenSource(TimeSpan.FromSeconds(120)).Token));
            var progress = Assert.Single(await opened.GetProgressAsync(census));
            Assert.Equal((Domains.Length, 0), (progress.TargetsDone, progress.TargetsFailed));
        }
        else
        {
            Assert.Contains($"{Domains.Length} done, 0 failed", run.Out + run.Err, StringComparison.Ordinal);
        }

        // Settled, not read at once: the census has its answers before this process has read dnsmasq's last log lines.
        var queries = await dns.SettledQueriesAsync();
        var asked = Domains.SelectMany(d => Services.Select(s => $"{s}.{d}"))
            .ToDictionary(n => n, n => queries.Count(q => q.Type == "SRV" && q.Name == n));
        output.WriteLine($"{name}: {queries.Count} questions for {Domains.Length} domains ({(double)queries.Count / Domains.Length:0.0} per domain), "
            + string.Join(", ", queries.GroupBy(q => q.Type).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} {g.Count()}"))));
        return asked;
    }
}
