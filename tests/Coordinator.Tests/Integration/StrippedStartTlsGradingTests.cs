using System.Net;
using XmppScanCluster.Coordinator.Cli;
using XmppScanCluster.Coordinator.Grading;
using XmppScanCluster.Coordinator.Tests.Census;
using XmppScanCluster.Coordinator.Tests.Support;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.Coordinator.Tests.Integration;

/// <summary>
/// The attacker the default policy exists for: the real modern.test Prosody behind a STARTTLS-stripping proxy (DNS
/// sends xmpp.modern.test to the proxy). Port 5222 then offers no STARTTLS while 5223 (direct TLS, relayed untouched)
/// is fine: the 5222 endpoint grades F, the domain is F and names that endpoint; ssllabs-2009r, which grades TLS only,
/// still says A.
/// </summary>
[Collection(TestbedCollection.Name)]
public sealed class StrippedStartTlsGradingTests(TestbedFixture testbed) : IDisposable
{
    // An address block of this engineer's own (XMPPSCAN_FREE_NET), never a literal another test uses.
    private static readonly string Net = Environment.GetEnvironmentVariable("XMPPSCAN_FREE_NET") ?? "127.77";
    private readonly string _dir = Directory.CreateTempSubdirectory("xmppscan-stripped-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task StrippedStartTlsEndpoint_isF_andTheDomainSaysWhichEndpointAndWhy()
    {
        var proxyAddress = $"{Net}.2.10";
        var modern = testbed.Domain("modern.test").GetProperty("endpoints")[0].GetProperty("address").GetString()!;
        await using var proxy = StartTlsStrippingProxy.Start(IPAddress.Parse(proxyAddress), IPAddress.Parse(modern), 5222, 5223);
        var conf = Path.Combine(testbed.Env["TESTBED_DIR"], "conf", "dnsmasq.conf");
        var record = File.ReadAllLines(conf).Single(l => l.StartsWith("host-record=xmpp.modern.test,", StringComparison.Ordinal));
        await using var dns = await RegionDns.StartAsync(conf, new Dictionary<string, string> { [record] = $"host-record=xmpp.modern.test,{proxyAddress}" }, $"{Net}.2.53");

        var json = Path.Combine(_dir, "scan.json");
        using var stdout = new StringWriter();
        var code = await CliApp.RunAsync(["scan", "--mode", "c2s", "--dns", dns.EndPoint.ToString(), "--trust-anchors", testbed.TrustBundle,
            "--no-system-trust", "--skip", "vulnerabilities,clients", "--json", json, "modern.test"], stdout, TextWriter.Null, CancellationToken.None);
        var report = ResultJson.Deserialize(await File.ReadAllTextAsync(json))!;

        Assert.Equal(ExitCodes.Success, code);
        Assert.True(proxy.Stripped > 0, "the scan never went through the proxy");
        var stripped = $"xmpp.modern.test {proxyAddress}:5222 starttls";
        var gradings = report.Gradings!.Where(g => g.Result.Policy == Policies.Default).ToList();
        var endpoint = Assert.Single(gradings, g => g.Endpoint == stripped).Result;
        Assert.Equal("F", endpoint.Grade);
        Assert.Equal("starttls_not_offered", endpoint.Caps[0].Rule);
        Assert.Equal("A", Assert.Single(gradings, g => g.Endpoint == $"xmpp.modern.test {proxyAddress}:5223 direct_tls").Result.Grade);

        var domain = Assert.Single(gradings, g => g.Endpoint is null).Result;
        Assert.Equal(("F", stripped), (domain.Grade, domain.SetBy));
        Assert.Contains(domain.Caps, c => c.Reason == $"{stripped}: the SRV-advertised c2s STARTTLS endpoint offers no STARTTLS: the stream stays in the clear");
        Assert.Equal("A", Assert.Single(report.Gradings!, g => g.Endpoint is null && g.Result.Policy == Policies.SslLabs).Result.Grade);

        var text = stdout.ToString();
        Assert.Contains("  Grade     F ", text, StringComparison.Ordinal);
        Assert.Contains($"set by {stripped}", text, StringComparison.Ordinal);
    }
}
