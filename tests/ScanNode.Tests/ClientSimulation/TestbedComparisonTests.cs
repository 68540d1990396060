using System.Net;
using System.Text;
using System.Text.Json;
using XmppScanCluster.ScanNode.ClientSimulation;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Tests.ClientSimulation.Support;
using XmppScanCluster.ScanNode.Tests.Support.Tls;
using XmppScanCluster.Shared.ClientSimulation;
using Xunit.Abstractions;

namespace XmppScanCluster.ScanNode.Tests.ClientSimulation;

/// <summary>
/// Real libraries vs their simulations against the shared testbed's XMPP servers on the direct-TLS c2s port
/// (XEP-0368), SNI = the domain. The testbed is brought up through SharedTestbed.
/// </summary>
public class TestbedComparisonTests(ITestOutputHelper output)
{
    private static readonly ScanLimits Limits = ScanLimits.Default with { ReadTimeout = TimeSpan.FromSeconds(10) };

    private static string ManifestPath => SharedTestbed.EnsureUp()["TESTBED_MANIFEST"];

    [Theory]
    [InlineData("modern.test")]
    [InlineData("intermediate.test")]
    [InlineData("legacy.test")]
    [InlineData("ejabberd.test")]
    public async Task RealLibraryAndItsSimulation_endTheSameWay_onTheTestbed(string domain)
    {
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(ManifestPath));
        var entry = manifest.RootElement.GetProperty("domains").EnumerateArray().FirstOrDefault(d => d.GetProperty("domain").GetString() == domain);
        Assert.True(entry.ValueKind == JsonValueKind.Object, domain + " is not in the testbed manifest");
        var address = IPAddress.Parse(entry.GetProperty("endpoints")[0].GetProperty("address").GetString()!);
        var port = entry.GetProperty("ports").GetProperty("c2s_direct_tls").GetInt32();
        var target = new IPEndPoint(address, port);
        Assert.True(await IsListeningAsync(target), $"{domain}: nothing listens on {target}");

        var simulator = new ClientSimulator(new HandshakeProbe(new LoopbackConnectionFactory(target.Address, target.Port), Limits));
        var table = new StringBuilder($"{domain} direct TLS {target}\n");
        var mismatches = new List<string>();
        foreach (var profile in ClientProfileCatalog.All)
        {
            var sim = await simulator.RunAsync(profile, new HelloRewriteOptions(domain), CancellationToken.None);
            var simLine = RealLibraryComparisonTests.Describe(sim);
            if (profile.Origin == ClientProfileOrigin.Published
                || !RealClients.ByProfile.TryGetValue(profile.Id, out var run) || RealClients.MissingTool(profile.Id) is not null)
            {
                table.AppendLine($"  {profile.Id,-20} {"(no real library here)",-62} sim: {simLine}");
                continue;
            }

            ObservedHandshake real;
            RealClients.Run said;
            await using (var relay = new HandshakeRelay(target))
            {
                said = await run(relay.Port, domain);
                real = await relay.ObserveAsync(TimeSpan.FromSeconds(10));
            }

            if (real.TargetUnreachable || sim.Outcome == SimulationOutcome.NoTls)
            {
                table.AppendLine($"  {profile.Id,-20} server unreachable during the comparison (testbed restarting?): not compared");
                continue;
            }

            var realLine = RealLibraryComparisonTests.Describe(real, said.Completed);
            table.AppendLine($"  {profile.Id,-20} real: {realLine,-56} sim: {simLine}");
            if (realLine != simLine) mismatches.Add($"{profile.Id}: real {realLine}, simulated {simLine} ({sim.Reason})");
        }

        output.WriteLine(table.ToString());
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches) + "\n" + table);
    }

    private static async Task<bool> IsListeningAsync(IPEndPoint target)
    {
        using var tcp = new System.Net.Sockets.TcpClient(target.AddressFamily);
        try
        {
            await tcp.ConnectAsync(target).WaitAsync(TimeSpan.FromSeconds(2));
            return true;
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or TimeoutException)
        {
            return false;
        }
    }
}
