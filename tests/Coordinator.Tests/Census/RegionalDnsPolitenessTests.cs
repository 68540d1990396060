using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using XmppScanCluster.Coordinator.Cli;
using XmppScanCluster.Coordinator.Cluster;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.ScanNode.Node;

namespace XmppScanCluster.Coordinator.Tests.Census;

/// <summary>
/// A region whose DNS answers differently from the planner's: the census is planned on the testbed's DNS (six domains on
/// six server addresses, six address-shard entities), the region "far" resolves through its own dnsmasq, which sends
/// all six XMPP hosts to one address no shard owns, where a relay to a testbed server counts connections. The region
/// cluster has two nodes, and both scan. The permits for that address come from the region's one gate of it, so the
/// relay's accept times are at least the configured spacing apart (judged against the spacing, not against elapsed
/// time), and every target has exactly one result.
/// </summary>
[Collection(CensusCollection.Name)]
public sealed class RegionalDnsPolitenessTests(CensusTestbed testbed, Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private const double SpacingSeconds = 2;
    private static readonly string[] Domains = ["modern.test", "intermediate.test", "legacy.test", "expired.test", "selfsigned.test", "wrongname.test"];
    private readonly string _dir = Directory.CreateTempSubdirectory("xmppscan-regiondns-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task TwoNodesOfARegion_whoseDnsGivesOneUnplannedAddress_connectToItSpacedOnce_everyTargetOnce()
    {
        // Addresses of this engineer's/CI's free loopback block (XMPPSCAN_FREE_NET), never literals of the testbed.
        var free = Environment.GetEnvironmentVariable("XMPPSCAN_FREE_NET") is { Length: > 0 } net ? net : "127.192";
        var relayAddress = IPAddress.Parse($"{free}.7.10");
        var dnsConf = Path.Combine(testbed.Env["TESTBED_DIR"], "conf", "dnsmasq.conf");
        var lines = File.ReadAllLines(dnsConf);
        var hostLines = Domains.Select(d => lines.First(l => l.StartsWith($"host-record=xmpp.{d},", StringComparison.Ordinal))).ToList();
        var upstream = IPAddress.Parse(hostLines[0].Split(',')[1]);
        await using var relay = CountingForwarder.Start(relayAddress, upstream, 5222, 5223);
        await using var farDns = await RegionDns.StartAsync(dnsConf,
            hostLines.ToDictionary(l => l, l => $"{l.Split(',')[0]},{relayAddress}"), $"{free}.7.53");

        // Both nodes up before the plan exists, so the coordinator spreads the six entities over both.
        var db = "sqlite:" + Path.Combine(_dir, "far.db");
        await using var store = await StoreFactory.OpenAsync(db);
        var seedPort = FreePort($"{free}.7.1");
        var nodes = new[] { "far-1", "far-2" }.Select(id => new NodeRuntime(store,
            new NodeOptions { NodeId = id, Region = "far", DnsOverride = [farDns.EndPoint.ToString()] }, TextWriter.Null)).ToArray();
        var options = new ClusterOptions { Hostname = $"{free}.7.1", SplitBrain = SplitBrainStrategy.KeepOldest };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(240));
        await using var first = await ScanClusterNode.StartAsync(nodes[0], options with { Port = seedPort }, timeout.Token);
        await using var second = await ScanClusterNode.StartAsync(nodes[1], options with { Seeds = [$"{free}.7.1:{seedPort}"] }, timeout.Token);

        var targets = Path.Combine(_dir, "far.txt");
        File.WriteAllLines(targets, Domains);
        Assert.Equal(0, await CliApp.RunAsync(["census", "--targets", targets, "--store", db, "--no-node", "--regions", "far", "--depth", "session",
            "--spacing", SpacingSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "--max-per-ip", "1", .. testbed.ScanOptions],
            TextWriter.Null, TextWriter.Null, CancellationToken.None));
        var census = (await store.FindCensusAsync("far"))!.CensusId;
        // The plan put the six domains on the testbed's six addresses: the relay's address is in no shard.
        Assert.Equal(6, (await store.ListOpenShardsAsync("far")).Count);
        Assert.Null(await store.FindAddressShardAsync(census, "far", [relayAddress.ToString()]));

        while (Assert.Single(await store.GetProgressAsync(census)).TargetsRemaining > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), timeout.Token);
        }

        var events = await JournalChecks.ReadAllAsync(store, census);
        JournalChecks.EveryTargetExactlyOnce(events, targets: Domains.Length, modes: 1);
        Assert.All(nodes, n => Assert.True(n.TargetsScanned > 0, $"{n.Options.NodeId} scanned nothing: the test needs both nodes"));

        var connections = relay.Connections;
        var gaps = connections.Zip(connections.Skip(1), (a, b) => Stopwatch.GetElapsedTime(a.Accepted, b.Accepted)).ToList();
        output.WriteLine($"{connections.Count} connections to {relayAddress}; nodes scanned {nodes[0].TargetsScanned} and {nodes[1].TargetsScanned} targets");
        output.WriteLine("gaps between accepts (s): " + string.Join(" ", gaps.Select(g => g.TotalSeconds.ToString("F3", System.Globalization.CultureInfo.InvariantCulture))));
        // Every domain's c2s endpoints (STARTTLS and direct TLS) went to the relay.
        Assert.True(connections.Count >= Domains.Length * 2, $"{connections.Count} connections reached the relay");
        // The gate counts the spacing from the node's report that the SYN is out (a grant delivered late no longer shortens
        // the next gap: AddressGateTests checks that exactly on a virtual clock), so the real starts are the spacing apart;
        // what the relay measures adds its own accept lag on a loaded machine (a stress run moved a gap by ~0.9 s), so
        // this only checks what tells one gate from two independent limiters: those would make one of every two gaps at
        // most half the spacing, and start connections twice as fast over the whole run.
        Assert.All(gaps, g => Assert.True(g.TotalSeconds > SpacingSeconds / 2, $"two connections {g.TotalSeconds:F3} s apart, spacing {SpacingSeconds} s"));
        var span = gaps.Aggregate(TimeSpan.Zero, (a, g) => a + g).TotalSeconds;
        Assert.True(span >= gaps.Count * SpacingSeconds - 0.5, $"{connections.Count} connections in {span:F3} s, spacing {SpacingSeconds} s");
    }

    private static int FreePort(string address)
    {
        using var probe = new TcpListener(IPAddress.Parse(address), 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
