using System.Net;
using XmppScanCluster.Coordinator.Aggregation;
using XmppScanCluster.Coordinator.Cli;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.ScanNode.Node;

namespace XmppScanCluster.Coordinator.Tests.Census;

/// <summary>
/// Geographic vantage points: regions eu and us scan the same targets; us resolves through its own DNS, which sends
/// xmpp.modern.test to a STARTTLS-stripping proxy (127.1.2.10). The aggregator must flag exactly that endpoint.
/// </summary>
[Collection(CensusCollection.Name)]
public sealed class VantageStrippingTests(CensusTestbed testbed, Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private const string ProxyAddress = "127.1.2.10";
    private readonly string _dir = Directory.CreateTempSubdirectory("xmppscan-vantage-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task StartTlsStrippedInUs_isFlaggedForThatEndpointOnly()
    {
        // The testbed's own line (its address follows TESTBED_NET), replaced by the proxy's address in us.
        var dnsConf = Path.Combine(testbed.Env["TESTBED_DIR"], "conf", "dnsmasq.conf");
        var modernLine = File.ReadAllLines(dnsConf).First(l => l.StartsWith("host-record=xmpp.modern.test,", StringComparison.Ordinal));
        await using var proxy = StartTlsStrippingProxy.Start(IPAddress.Parse(ProxyAddress), IPAddress.Parse(modernLine.Split(',')[1]), 5222, 5223);
        await using var usDns = await RegionDns.StartAsync(dnsConf,
            new Dictionary<string, string> { [modernLine] = $"host-record=xmpp.modern.test,{ProxyAddress}" }, "127.1.2.53");

        var targets = Path.Combine(_dir, "vantage.txt");
        File.WriteAllLines(targets, ["modern.test", "ecdsa.test", "multi.test"]);
        var db = "sqlite:" + Path.Combine(_dir, "vantage.db");
        Assert.Equal(0, await CliApp.RunAsync(["census", "--targets", targets, "--store", db, "--no-node", "--regions", "eu,us", "--spacing", "0.1", "--depth", "session",
            .. testbed.ScanOptions], TextWriter.Null, TextWriter.Null, CancellationToken.None));

        await using var store = await StoreFactory.OpenAsync(db);
        var census = (await store.FindCensusAsync("vantage"))!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await Task.WhenAll(
            Node("eu", null).RunAsync(timeout.Token),
            Node("us", [usDns.EndPoint.ToString()]).RunAsync(timeout.Token));
        Assert.All(await store.GetProgressAsync(census.CensusId), p => Assert.Equal(0, p.TargetsRemaining));
        Assert.True(proxy.Stripped > 0, "the us node never went through the proxy");

        var stats = await Aggregator.ComputeAsync(store, census, XmppScanCluster.Coordinator.Grading.Policies.SslLabs2009r);
        var flagged = Assert.Single(stats.Disagreements);
        Assert.Equal(("modern.test", "xmpp.modern.test:5222 starttls", "starttls"), (flagged.Domain, flagged.Endpoint, flagged.Kind));
        Assert.Equal("STARTTLS offered in eu, missing in us", flagged.Summary);

        using var stdout = new StringWriter();
        Assert.Equal(0, await CliApp.RunAsync(["census", "stats", "--store", db, "--name", "vantage"], stdout, TextWriter.Null, CancellationToken.None));
        output.WriteLine(stdout.ToString());
        Assert.Contains("modern.test c2s xmpp.modern.test:5222 starttls [starttls]: STARTTLS offered in eu, missing in us", stdout.ToString(), StringComparison.Ordinal);

        NodeWorker Node(string region, string[]? dns) => new(new XmppScanCluster.Coordinator.Census.StoreNodeAdapter(store, dns),
            new NodeOptions { NodeId = "node-" + region, Region = region, PollInterval = TimeSpan.FromMilliseconds(200), ExitWhenCensusDone = census.CensusId },
            TextWriter.Null);
    }
}
