using System.Net;
using System.Net.Sockets;
using XmppScanCluster.ScanNode.Certificates;
using XmppScanCluster.ScanNode.Dns;
using XmppScanCluster.ScanNode.Scanning;
using XmppScanCluster.ScanNode.Tests.Dns.Support;
using XmppScanCluster.ScanNode.Tests.Support.Xmpp;
using XmppScanCluster.ScanNode.Transport;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.ScanNode.Tests.Scanning;

public class DomainScannerTests
{
    private static int ClosedPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private static DomainScanner Scanner(FakeDnsServer dns) => new(
        new EndpointDiscovery(new DnsResolver(new DnsResolverOptions { Servers = [dns.EndPoint], Timeout = TimeSpan.FromSeconds(1), Retries = 1 })),
        new XmppTlsSessionProbe(TestLimits.Fast),
        new CertificateAssessor(TrustStore.Empty));

    [Fact]
    public async Task FirstEndpointRefused_nextEndpointIsStillScanned()
    {
        var (_, _, leaf) = TestCertificates.Chain("example.test");
        await using var live = FakeXmppServer.Start(async c =>
        {
            await c.ExpectStreamHeaderAsync();
            await c.SendAsync(Xml.Header() + Xml.StartTlsRequired);
            await c.ExpectStartTlsAsync();
            await c.SendAsync(Xml.Proceed);
            await c.StartTlsAsync(leaf);
            await c.ExpectStreamHeaderAsync();
            await c.SendAsync(Xml.Header(id: "second") + Xml.PostTlsFeatures);
            await c.ExpectAsync("</stream:stream>");
        });
        var zone = new FakeZone()
            .Add(TestRecord.Srv("_xmpp-client._tcp.example.test", 10, 0, (ushort)ClosedPort(), "dead.example.test"))
            .Add(TestRecord.Srv("_xmpp-client._tcp.example.test", 20, 0, (ushort)live.Port, "live.example.test"))
            .Add(TestRecord.A("dead.example.test", "127.0.0.1"))
            .Add(TestRecord.A("live.example.test", "127.0.0.1"));
        await using var dns = FakeDnsServer.ForZone(zone);

        var report = await Scanner(dns).ScanAsync("example.test", XmppMode.C2S, CancellationToken.None);

        Assert.Equal(["dead.example.test", "live.example.test"], report.Endpoints.Select(e => e.Target));
        Assert.Equal(FailureKind.Refused, report.Endpoints[0].Failure?.Kind);
        Assert.Equal(ProbeStatus.Completed, report.Endpoints[1].Status);
        Assert.NotNull(report.Endpoints[1].Tls?.Protocol);
        // Issue 15: a refused advertised endpoint is a finding, not a failure of the domain.
        Assert.Equal(ProbeStatus.Completed, report.Status);
        Assert.StartsWith("completed with unreachable endpoints: dead.example.test", report.Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoSrvAndNoAddress_isOneDnsFailure()
    {
        await using var dns = FakeDnsServer.ForZone(new FakeZone());
        var report = await Scanner(dns).ScanAsync("nowhere.test", XmppMode.S2S, CancellationToken.None);
        Assert.Equal(ProbeStatus.Failed, report.Status);
        Assert.Equal(FailureKind.DnsFailure, report.Failure!.Kind);
        Assert.Empty(report.Endpoints);
    }
}
