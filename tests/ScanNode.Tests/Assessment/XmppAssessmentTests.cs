using Microsoft.Extensions.Time.Testing;
using XmppScanCluster.ScanNode.Assessment;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Tests.Support.Tls;
using XmppScanCluster.Shared.ClientSimulation;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;
using Xunit.Abstractions;

namespace XmppScanCluster.ScanNode.Tests.Assessment;

/// <summary>The assessment over XMPP STARTTLS: a scripted XMPP front relaying to <c>openssl s_server</c>.</summary>
public class XmppAssessmentTests(ITestOutputHelper output)
{
    private static readonly ScanLimits Limits = ScanLimits.Default with
    {
        ReadTimeout = TimeSpan.FromSeconds(5),
        ConnectionTimeout = TimeSpan.FromSeconds(10),
    };

    [Fact]
    public async Task StartTlsEndpoint_everyProbeConnectionNegotiatesXmpp_andSuitesAreExact()
    {
        await using var server = await OpenSslServer.StartAsync("-serverpref", "-no_tls1_3",
            "-cipher", "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-SHA");
        await using var relay = new StartTlsRelay(server.Port);

        var report = await new EndpointAssessor(Limits).AssessAsync(relay.Endpoint("example.test", XmppMode.S2S), CancellationToken.None);
        output.WriteLine(AssessmentText.Describe(report));

        Assert.Equal(ProbeStatus.Completed, report.Status);
        var tls12 = report.Protocols.Single(p => p.Protocol == "TLSv1.2");
        Assert.Equal(NegotiationOrder.Server, tls12.SuiteOrder);
        Assert.Equal([0xC030, 0xC013], tls12.Suites.Select(s => s.Code));
        Assert.False(report.Protocols.Single(p => p.Protocol == "TLSv1.3").Supported);
        // One XMPP preamble per connection, s2s namespace, to the service domain.
        Assert.Equal(report.Connections.Total, relay.Proceeded);
        Assert.All(relay.Headers, h => Assert.Contains("jabber:server", h));
        Assert.All(relay.Headers, h => Assert.Contains("to='example.test'", h.Replace('"', '\'')));
    }

    [Fact]
    public async Task StartTlsEndpoint_twoConnectionsPerServer_sameReportAndOnePreamblePerConnection()
    {
        await using var server = await OpenSslServer.StartAsync("-serverpref",
            "-cipher", "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-SHA:AES128-SHA:@SECLEVEL=0");
        await using var relay = new StartTlsRelay(server.Port);
        var endpoint = relay.Endpoint("example.test", XmppMode.C2S);

        var sequential = await new EndpointAssessor(Limits).AssessAsync(endpoint, CancellationToken.None);
        var lanes = await new EndpointAssessor(Limits, new AssessmentOptions { MaxConnectionsPerServer = 2 }).AssessAsync(endpoint, CancellationToken.None);
        output.WriteLine(AssessmentText.Describe(lanes));

        Assert.Equal(AssessmentText.DescribeWithoutControl(sequential), AssessmentText.DescribeWithoutControl(lanes));
        Assert.Equal(sequential.Connections.Total + lanes.Connections.Total, relay.Proceeded);
    }

    [Fact]
    public async Task MinimumSpacing_spacesConnections()
    {
        await using var server = await OpenSslServer.StartAsync("-tls1_2", "-cipher", "AES128-SHA");
        var options = new AssessmentOptions { MinimumSpacing = TimeSpan.FromMilliseconds(40), SignatureAlgorithms = false };
        var assessor = new TlsAssessor(Limits, options);
        // The spacing is waited on a fake clock and checked on it: a loaded machine cannot make it pass or fail.
        var time = new FakeTimeProvider();
        var starts = new StartTimes(new LoopbackConnectionFactory(server.Port));
        var counter = new CountingConnectionFactory(starts, options.MinimumSpacing, time, assessor.CreateCounter(starts).MaxConcurrent)
        {
            OnStart = starts.Granted,
        };

        var report = await time.RunAsync(assessor.AssessAsync(counter, "localhost", CancellationToken.None), TimeSpan.FromMilliseconds(5));

        Assert.Equal(report.Connections.Total, starts.Opened);
        Assert.Equal(starts.Opened, starts.Times.Count);
        Assert.True(starts.Times.Count > 5, $"{starts.Times.Count} connections");
        Assert.All(starts.Gaps, gap => Assert.True(gap >= options.MinimumSpacing, $"gaps {string.Join(", ", starts.Gaps)}"));
        Assert.Equal([0x002F], report.Protocols.Single(p => p.Protocol == "TLSv1.2").Suites.Select(s => s.Code));
    }

    [Fact]
    public async Task Phases_probesAndSimulationFollowTheAssessment_overOnePipelinedCountedFactory()
    {
        await using var server = await OpenSslServer.StartAsync("-serverpref", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA");
        await using var relay = new StartTlsRelay(server.Port);

        var assessor = new EndpointAssessor(Limits, new AssessmentOptions { SignatureAlgorithms = false });
        var connections = assessor.Open(relay.Endpoint("example.test"), pipelineStartTls: true);
        var (assessment, _) = await assessor.AssessWithChainAsync(connections, null, CancellationToken.None);
        var v = await assessor.VulnerabilitiesAsync(connections, assessment, CancellationToken.None);
        var sim = await assessor.ClientSimulationAsync(connections, CancellationToken.None);

        Assert.Equal(ProbeStatus.Completed, assessment.Status);
        Assert.False(v.Facts<HeartbleedFacts>(HeartbleedCheck.Key)!.Vulnerable);
        Assert.True(v.Facts<SecureRenegotiationFacts>(SecureRenegotiationCheck.Key)!.RenegotiationInfoReturned);
        Assert.Equal(FallbackReaction.InappropriateFallbackAlert, v.Facts<FallbackScsvFacts>(FallbackScsvCheck.Key)!.Reaction);
        Assert.Contains(v.Derived, f => f.Weakness == DerivedWeakness.NoForwardSecrecy && !f.Present);
        Assert.Equal(ClientProfileCatalog.All.Count, sim.Clients.Count);
        Assert.Equal(TlsVersion.Tls13, sim.Clients.Single(c => c.ProfileId == "openssl-3.0").Protocol);

        // Every connection went through the one factory: one XMPP preamble each, all pipelined, none lost.
        var total = assessment.Connections.Total + v.Connections + sim.Connections;
        Assert.Equal(total, relay.Proceeded);
        Assert.Equal(total, connections.Factory.PipelinedConnections);
        Assert.Null(connections.Factory.PipelineFailure);
    }
}
