using System.Net;
using System.Net.Sockets;
using XmppScanCluster.ScanNode.Actors;
using XmppScanCluster.ScanNode.Actors.Steps;
using XmppScanCluster.ScanNode.Certificates;
using XmppScanCluster.ScanNode.Dns;
using XmppScanCluster.ScanNode.Scanning;
using XmppScanCluster.ScanNode.Tests.Dns.Support;
using XmppScanCluster.ScanNode.Tests.Support.Xmpp;
using XmppScanCluster.ScanNode.Transport;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Messages;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.ScanNode.Tests.Actors;

/// <summary><c>xmppscan scan</c>'s pipeline: the census's steps and state machine run in memory, on fake DNS and XMPP
/// servers.</summary>
public class LocalTargetScanTests
{
    private static int ClosedPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private static EndpointDiscovery Discovery(FakeDnsServer dns) =>
        new(new DnsResolver(new DnsResolverOptions { Servers = [dns.EndPoint], Timeout = TimeSpan.FromSeconds(1), Retries = 1 }));

    private static ScanStepRegistry SessionSteps(FakeDnsServer dns) => ScanStepCatalog.Create(Discovery(dns),
        new XmppTlsSessionProbe(TestLimits.Fast), new CertificateAssessor(TrustStore.Empty), new InMemoryCertificates());

    private static async Task<DomainReport> ScanAsync(ScanStepRegistry steps, string domain, XmppMode mode)
    {
        var run = await new LocalTargetScan(steps, new StepRunner(new PolitenessSettings(1, 0, 0, 1)))
            .RunAsync(domain, [mode], null, CancellationToken.None);
        return Assert.Single(run.Reports);
    }

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

        var report = await ScanAsync(SessionSteps(dns), "example.test", XmppMode.C2S);

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
        var report = await ScanAsync(SessionSteps(dns), "nowhere.test", XmppMode.S2S);
        Assert.Equal(ProbeStatus.Failed, report.Status);
        Assert.Equal(FailureKind.DnsFailure, report.Failure!.Kind);
        Assert.Empty(report.Endpoints);
    }

    [Fact]
    public async Task StepThrows_endpointReportsTheInternalFailure_nextEndpointIsStillScanned()
    {
        // Two endpoints from the zone, a session step that throws on the first: our bug is that endpoint's reason, never
        // the end of the scan (a census actor would stop and retry the target instead).
        var zone = new FakeZone()
            .Add(TestRecord.Srv("_xmpp-client._tcp.example.test", 10, 0, 5222, "one.example.test"))
            .Add(TestRecord.Srv("_xmpp-client._tcp.example.test", 20, 0, 5222, "two.example.test"))
            .Add(TestRecord.A("one.example.test", "127.0.0.1"))
            .Add(TestRecord.A("two.example.test", "127.0.0.1"));
        await using var dns = FakeDnsServer.ForZone(zone);
        var steps = new ScanStepRegistry(new DiscoverStep(Discovery(dns)), [new ThrowsOnFirstEndpoint()]);

        var run = await new LocalTargetScan(steps, new StepRunner(new PolitenessSettings(1, 0, 0, 1)))
            .RunAsync("example.test", [XmppMode.C2S], null, CancellationToken.None);

        var report = Assert.Single(run.Reports);
        Assert.Equal(FailureKind.Internal, report.Endpoints[0].Failure?.Kind);
        Assert.Contains("InvalidOperationException", report.Endpoints[0].Failure!.Message, StringComparison.Ordinal);
        Assert.Equal(ProbeStatus.Completed, report.Endpoints[1].Status);
        // The events are the journal a census would have written, ending with the target's completion.
        Assert.IsType<TargetScanStarted>(run.Events[0]);
        Assert.IsType<TargetScanCompleted>(run.Events[^1]);
        Assert.True(run.State.Completed);
    }

    private sealed class ThrowsOnFirstEndpoint : IScanStep
    {
        public string Name => "session";

        public Task<StepOutcome> RunAsync(StepInput input, CancellationToken ct)
        {
            if (input.EndpointIndex == 0)
            {
                throw new InvalidOperationException("a bug of ours");
            }

            var e = input.Endpoint!;
            var report = new EndpointReport(e.Target, e.Address.ToString(), e.Port, e.Transport, e.Priority, e.Weight, e.Source,
                ProbeStatus.Completed, null, null, null, null, 0);
            return Task.FromResult(StepOutcome.Done(new EndpointSessionObserved(input.Mode, input.EndpointIndex!.Value, report)));
        }
    }
}
