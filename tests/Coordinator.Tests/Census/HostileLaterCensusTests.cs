using System.Globalization;
using System.Text.Json;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Coordinator.Tests.Support;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Results;
using static XmppScanCluster.Coordinator.Tests.Support.InProcessCli;

namespace XmppScanCluster.Coordinator.Tests.Census;

/// <summary>
/// Issue 16 in the census: a server whose first connection (the session) negotiates TLS 1.3 and which closes every later
/// connection at once. The census's assessment step checks the session against the assessment with the same code as
/// <c>xmppscan scan</c>, so the stored report carries the same contradiction as the scan's JSON, and the contradicted
/// version is inconclusive there too. DNS is a real dnsmasq serving the fake's SRV record; everything listens on the
/// engineer's free loopback block.
/// </summary>
public sealed class HostileLaterCensusTests : IDisposable
{
    private const string Hostile = "hostile.test";
    private static readonly string Net = Environment.GetEnvironmentVariable("XMPPSCAN_FREE_NET") ?? "127.77";
    private readonly string _dir = Directory.CreateTempSubdirectory("xmppscan-hostile-census-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SessionContradictedByTheAssessment_censusStoresTheSameContradictionAsScan(bool directTls)
    {
        TwoFacedXmppServer.Hostile closesAtOnce = (c, hello) => Task.CompletedTask;

        // The interactive scan, against a fresh server (its first connection of hostile.test is the session too).
        IReadOnlyList<string> scanned;
        await using (var server = new TwoFacedXmppServer(directTls, Hostile, closesAtOnce))
        {
            var (code, stdout, stderr) = await RunCliAsync(["scan", "--dns", "127.0.0.1", "--timeout", "2", "--skip", "vulnerabilities,clients",
                "--connect", server.Connect, "--json", "-", .. directTls ? ["--direct-tls"] : Array.Empty<string>(), Hostile]);
            Assert.True(code is 0 or 1, $"exit {code}: {stderr}");
            var endpoint = JsonDocument.Parse(stdout).RootElement.GetProperty("domains")[0].GetProperty("endpoints")[0];
            Assert.Equal("TLSv1.3", endpoint.GetProperty("tls").GetProperty("protocol").GetString());
            scanned = [.. endpoint.GetProperty("assessment").GetProperty("contradictions").EnumerateArray().Select(c => c.GetString()!)];
        }

        Assert.NotEmpty(scanned);

        await using var census = new TwoFacedXmppServer(directTls, Hostile, closesAtOnce);
        var conf = Path.Combine(_dir, "dnsmasq.conf");
        var service = directTls ? "_xmpps-client" : "_xmpp-client";
        await File.WriteAllLinesAsync(conf, ["local=/test/", $"host-record=xmpp.{Hostile},{census.Address}",
            $"srv-host={service}._tcp.{Hostile},xmpp.{Hostile},{census.Port.ToString(CultureInfo.InvariantCulture)},0,5"]);
        await using var dns = await RegionDns.StartAsync(conf, new Dictionary<string, string>(), $"{Net}.16.53");
        var targets = Path.Combine(_dir, "hostile.txt");
        await File.WriteAllLinesAsync(targets, [Hostile]);
        var db = "sqlite:" + Path.Combine(_dir, "hostile.db");
        var run = await RunCliAsync(["census", "--targets", targets, "--store", db, "--dns", dns.EndPoint.ToString(), "--timeout", "2",
            "--spacing", "0", "--depth", "assessment", "--log", Path.Combine(_dir, "node.log")]);
        Assert.True(run.Code == 0, run.Err + run.Out);

        var stored = await StoredEndpointAsync(db);
        Assert.Equal("TLSv1.3", stored.Tls?.Protocol);
        Assert.Equal(scanned, stored.Assessment?.Contradictions ?? []);
        var tls13 = stored.Assessment!.Protocols.Single(p => p.Protocol == "TLSv1.3");
        Assert.False(tls13.Supported);
        Assert.NotNull(tls13.Inconclusive);
    }

    /// <summary>The one endpoint of the census's one target, as its <c>domain_scan_completed</c> stored it.</summary>
    private static async Task<EndpointReport> StoredEndpointAsync(string db)
    {
        await using var store = await StoreFactory.OpenAsync(db);
        var census = (await store.FindCensusAsync("hostile"))!;
        var target = Assert.Single(await store.ListTargetsAsync(census.CensusId, null, 10));
        var report = Assert.Single(await store.ReadReportsAsync(census.CensusId, TargetStreams.For(target.TargetId, "default")));
        return Assert.Single(report.Endpoints);
    }
}
