using System.Net;
using System.Text.Json;
using XmppScanCluster.Coordinator.Cli;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Coordinator.Tests.Census;
using XmppScanCluster.Coordinator.Tests.Support;
using XmppScanCluster.ScanNode.ClientSimulation;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Messages;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.TestKit;
using static XmppScanCluster.Coordinator.Tests.Support.InProcessCli;

namespace XmppScanCluster.Coordinator.Tests.Scanning;

/// <summary>
/// <c>--session-tls</c>, seen on the wire: a relay in front of a real Prosody's direct-TLS port keeps the first ClientHello of
/// every connection. The engine's session hello is SslStream's without encrypt_then_mac (SessionHello says why), so the
/// extension tells which client sent it: none by default, SslStream's with <c>--session-tls sslstream</c>. Both scans
/// must report the same session. Without the option the second scan is refused; with the option ignored its hello has no
/// encrypt_then_mac and the test fails.
/// </summary>
public class SessionTlsOptionTests
{
    private const string Domain = "modern.test";
    private static readonly string Net = Environment.GetEnvironmentVariable("XMPPSCAN_FREE_NET") ?? "127.77";

    [Fact]
    public async Task SslStreamChoice_putsTheSessionOnSslStream_theEngineIsTheDefault_andBothReportTheSameSession()
    {
        var env = SharedTestbed.EnsureUp();
        var server = Server(env);

        var (engineHellos, engine) = await ScanThroughRelayAsync(env, server, []);
        var (platformHellos, platform) = await ScanThroughRelayAsync(env, server, ["--session-tls", "sslstream"]);

        var first = Assert.Single(engineHellos);
        Assert.False(OffersEncryptThenMac(first), "the default session went out on SslStream, not the engine");
        Assert.True(OffersEncryptThenMac(Assert.Single(platformHellos)), "--session-tls sslstream was not SslStream's hello");
        Assert.Equal(ProbeStatus.Completed, engine.Status);
        Assert.Equal(ProbeStatus.Completed, platform.Status);
        Assert.Equal(engine.Tls!.Protocol, platform.Tls!.Protocol);
        Assert.Equal(engine.Tls.CipherSuite, platform.Tls.CipherSuite);
        Assert.Equal(engine.Tls.Alpn, platform.Tls.Alpn);
        Assert.Equal(engine.Certificate!.Chain.Select(c => c.Sha256), platform.Certificate!.Chain.Select(c => c.Sha256));
        Assert.Equal(engine.Certificate.Identity?.Matched, platform.Certificate.Identity?.Matched);
        Assert.Equal(engine.Xmpp!.PostTlsFeatures?.SaslMechanisms, platform.Xmpp!.PostTlsFeatures?.SaslMechanisms);
    }

    /// <summary>The census keeps the choice with its settings, and its node connects with it: the testbed's DNS, with
    /// xmpp.modern.test moved to relays on the engineer's free loopback block (STARTTLS relayed as it is, direct TLS with its
    /// hellos kept).</summary>
    [Fact]
    public async Task Census_storesTheChoice_andItsNodeSendsSslStreamsHello()
    {
        var env = SharedTestbed.EnsureUp();
        var server = Server(env);
        var relayAddress = IPAddress.Parse($"{Net}.19.10");
        await using var direct = new FirstRecordRelay(new IPEndPoint(relayAddress, 5223), server);
        await using var starttls = new FirstRecordRelay(new IPEndPoint(relayAddress, 5222), new IPEndPoint(server.Address, 5222), capture: false);
        var conf = Path.Combine(env["TESTBED_DIR"], "conf", "dnsmasq.conf");
        var record = File.ReadAllLines(conf).Single(l => l.StartsWith("host-record=xmpp.modern.test,", StringComparison.Ordinal));
        await using var dns = await RegionDns.StartAsync(conf, new Dictionary<string, string> { [record] = $"host-record=xmpp.modern.test,{relayAddress}" },
            $"{Net}.19.53");
        var dir = Directory.CreateTempSubdirectory("xmppscan-session-tls-");
        try
        {
            var targets = Path.Combine(dir.FullName, "targets.txt");
            await File.WriteAllLinesAsync(targets, [Domain]);
            var db = "sqlite:" + Path.Combine(dir.FullName, "census.db");
            var (code, stdout, stderr) = await RunCliAsync("census", "--targets", targets, "--store", db, "--depth", "session", "--spacing", "0",
                "--session-tls", "sslstream", "--dns", dns.EndPoint.ToString(), "--trust-anchors", env["TESTBED_CA_BUNDLE"], "--no-system-trust",
                "--log", Path.Combine(dir.FullName, "node.log"));

            Assert.True(code == ExitCodes.Success, stderr + stdout);
            Assert.Contains(", session TLS on sslstream", stdout, StringComparison.Ordinal);
            Assert.True(OffersEncryptThenMac(Assert.Single(direct.Hellos)), "the census node's session was not on SslStream");
            await using var store = await StoreFactory.OpenAsync(db);
            var census = Assert.Single(await store.ListCensusesAsync());
            Assert.Equal(SessionTls.SslStream, CensusSettings.FromJson(census.SettingsJson).SessionTls);
            var report = (await CensusDepthTests.ReportsAsync(store, census.CensusId))[Domain];
            Assert.Equal(2, report.Endpoints.Count);
            Assert.All(report.Endpoints, e => Assert.Equal(ProbeStatus.Completed, e.Status));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task UnknownChoice_isOneClearLine_andAUsageExit()
    {
        var (code, _, stderr) = await RunCliAsync("scan", "--session-tls", "schannel", "--dns", "127.0.0.1", Domain);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("schannel", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    /// <summary>The testbed's modern Prosody, direct TLS (XEP-0368), from the manifest.</summary>
    private static IPEndPoint Server(IReadOnlyDictionary<string, string> env)
    {
        var domain = JsonDocument.Parse(File.ReadAllText(env["TESTBED_MANIFEST"])).RootElement.GetProperty("domains").EnumerateArray()
            .Single(d => d.GetProperty("domain").GetString() == Domain);
        return new IPEndPoint(IPAddress.Parse(domain.GetProperty("endpoints")[0].GetProperty("address").GetString()!),
            domain.GetProperty("ports").GetProperty("c2s_direct_tls").GetInt32());
    }

    private static async Task<(IReadOnlyList<byte[]> Hellos, EndpointReport Endpoint)> ScanThroughRelayAsync(
        IReadOnlyDictionary<string, string> env, IPEndPoint server, string[] extra)
    {
        await using var relay = new FirstRecordRelay(new IPEndPoint(IPAddress.Loopback, 0), server);
        var json = Path.Combine(Path.GetTempPath(), $"xmppscan-session-tls-{Guid.NewGuid():N}.json");
        try
        {
            var (code, stdout, stderr) = await RunCliAsync(["scan", "--quick", "--connect", $"127.0.0.1:{relay.Port}", "--direct-tls",
                "--dns", env["TESTBED_DNS"], "--trust-anchors", env["TESTBED_CA_BUNDLE"], "--no-system-trust", "--json", json, .. extra, Domain]);
            Assert.True(code == ExitCodes.Success, $"exit {code}: {stderr}\n{stdout}");
            var report = ResultJson.Deserialize(await File.ReadAllTextAsync(json))!;
            return (relay.Hellos, Assert.Single(report.Domains.SelectMany(d => d.Endpoints)));
        }
        finally
        {
            File.Delete(json);
        }
    }

    private static bool OffersEncryptThenMac(byte[] hello)
    {
        var parsed = RecordedHelloParser.Parse(hello);
        Assert.True(parsed.IsComplete, parsed.Error);
        return parsed.Value!.Profile.Extensions.Any(e => e.Type == TlsExtensionType.EncryptThenMac);
    }
}
