using System.Net;
using System.Net.Sockets;
using XmppScanCluster.Coordinator.Cli;
using XmppScanCluster.Coordinator.Grading;
using XmppScanCluster.Coordinator.Tests.Census;
using XmppScanCluster.Coordinator.Tests.Support;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.Coordinator.Tests.Integration;

/// <summary>
/// A dead endpoint does not fail the domain: the testbed's DNS view with one more c2s SRV record for modern.test,
/// pointing at a port of the real server where nothing listens. That endpoint is a finding ("advertised by SRV,
/// refused"), the live endpoints are graded, the domain is completed with unreachable endpoints and the exit code is 0.
/// </summary>
[Collection(TestbedCollection.Name)]
public sealed class DeadSrvEndpointTests(TestbedFixture testbed) : IDisposable
{
    private const int ClosedPort = 5299;
    private static readonly string Net = Environment.GetEnvironmentVariable("XMPPSCAN_FREE_NET") ?? "127.77";
    private readonly string _dir = Directory.CreateTempSubdirectory("xmppscan-deadsrv-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task SrvRecordToAClosedPort_isAFinding_theDomainCompletes_andTheOtherEndpointsAreGraded()
    {
        var modern = testbed.Domain("modern.test").GetProperty("endpoints")[0].GetProperty("address").GetString()!;
        using (var probe = new TcpClient())
        {
            // The precondition the test stands on: the port is really closed on the real server's address.
            var refused = await Assert.ThrowsAsync<SocketException>(() => probe.ConnectAsync(IPAddress.Parse(modern), ClosedPort));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        }

        var conf = Path.Combine(testbed.Env["TESTBED_DIR"], "conf", "dnsmasq.conf");
        var srv = File.ReadAllLines(conf).Single(l => l.StartsWith("srv-host=_xmpp-client._tcp.modern.test,", StringComparison.Ordinal));
        await using var dns = await RegionDns.StartAsync(conf,
            new Dictionary<string, string> { [srv] = $"{srv}\nsrv-host=_xmpp-client._tcp.modern.test,xmpp.modern.test,{ClosedPort},0,5" }, $"{Net}.2.54");

        var json = Path.Combine(_dir, "scan.json");
        using var stdout = new StringWriter();
        var code = await CliApp.RunAsync(["scan", "--mode", "c2s", "--quick", "--dns", dns.EndPoint.ToString(), "--trust-anchors", testbed.TrustBundle,
            "--no-system-trust", "--json", json, "modern.test"], stdout, TextWriter.Null, CancellationToken.None);
        var report = ResultJson.Deserialize(await File.ReadAllTextAsync(json))!;
        var domain = Assert.Single(report.Domains);

        Assert.Equal(ExitCodes.Success, code);
        Assert.Equal(ProbeStatus.Completed, domain.Status);
        // modern.test may also have ::1 (TESTBED_IPV6=1): the dead SRV target then has two dead addresses.
        Assert.StartsWith("completed with unreachable endpoints: ", domain.Failure!.Message, StringComparison.Ordinal);
        Assert.Contains($"xmpp.modern.test {modern}:{ClosedPort} starttls advertised by SRV, refused", domain.Failure.Message, StringComparison.Ordinal);
        var dead = domain.Endpoints.Where(e => e.Port == ClosedPort).ToList();
        Assert.NotEmpty(dead);
        Assert.All(dead, d => Assert.Equal((ProbeStatus.Failed, FailureKind.Refused, EndpointSource.Srv), (d.Status, d.Failure!.Kind, d.Source)));
        Assert.All(domain.Endpoints.Where(e => e.Port != ClosedPort), e => Assert.Equal(ProbeStatus.Completed, e.Status));

        var gradings = report.Gradings!.Where(g => g.Result.Policy == Policies.Default).ToList();
        var graded = gradings.Where(g => g.Endpoint is not null).Select(g => g.Endpoint!).ToList();
        Assert.Contains($"xmpp.modern.test {modern}:5222 starttls", graded);
        Assert.Contains($"xmpp.modern.test {modern}:5223 direct_tls", graded);
        Assert.DoesNotContain(graded, g => g.Contains($":{ClosedPort} ", StringComparison.Ordinal));
        Assert.Single(gradings, g => g.Endpoint is null);
        Assert.Contains("  ! completed with unreachable endpoints: ", stdout.ToString(), StringComparison.Ordinal);
    }
}
