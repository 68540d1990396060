using System.Net;
using System.Text.Json;
using XmppScanCluster.ScanNode.Assessment;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Tests.Support.Tls;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Tests.Assessment;

/// <summary>
/// The testbed's server that closes without alerts (issue 15): ejabberd 23.01 with fast_tls answers every handshake
/// failure — no suite in common, an unwanted TLS_FALLBACK_SCSV — by closing the TCP connection, no alert, no
/// close_notify. The whole endpoint run over XMPP STARTTLS (assessment, then the probes fed its facts) must still
/// judge SCSV, client renegotiation and resumption, never "not supported" or "inconclusive".
/// </summary>
public class NoAlertServerTests
{
    private static readonly ScanLimits Limits = ScanLimits.Default with
    {
        ReadTimeout = TimeSpan.FromSeconds(3),
        ConnectionTimeout = TimeSpan.FromSeconds(20),
    };

    [Fact]
    public async Task Ejabberd_closesWithoutAlert_onAHelloWithNoSuiteInCommon()
    {
        var (address, _, directTls) = Ejabberd();
        // ECDHE_ECDSA suites only: ejabberd.test has an RSA key, so no suite can be chosen.
        var hello = ClientHelloProfiles.Tls(TlsVersion.Tls12, [0xC02B, 0xC02C, 0xC009, 0xC00A], "ejabberd.test");

        var r = await new HandshakeProbe(new LoopbackConnectionFactory(address, directTls), Limits).RunAsync(hello, CancellationToken.None);

        Assert.Equal(HandshakeOutcome.Failed, r.Outcome);
        Assert.Equal(FailureKind.ConnectionClosed, r.Failure!.Kind);
        Assert.Null(r.Alert);
    }

    [Fact]
    public async Task Ejabberd_overStartTls_scsvRenegotiationAndResumptionAreJudged()
    {
        var (address, startTls, _) = Ejabberd();
        var endpoint = new XmppEndpoint("ejabberd.test", XmppMode.C2S, TlsTransport.StartTls, "xmpp.ejabberd.test", address, startTls, 0, 5, EndpointSource.Srv);
        var assessor = new EndpointAssessor(Limits, new AssessmentOptions { ClientSimulation = false, SignatureAlgorithms = false });

        var connections = assessor.Open(endpoint, pipelineStartTls: false);
        var (assessment, _) = await assessor.AssessWithChainAsync(connections, null, CancellationToken.None);
        var v = await assessor.VulnerabilitiesAsync(connections, assessment, CancellationToken.None);

        var tls12 = assessment.Protocols.Single(p => p.Protocol == "TLSv1.2");
        Assert.True(tls12.Supported);
        Assert.Equal(ProbeStatus.Completed, v.Probe(FallbackScsvCheck.Key)!.Status);
        var fallback = v.Facts<FallbackScsvFacts>(FallbackScsvCheck.Key)!;
        Assert.Equal(FallbackReaction.RefusedOnlyWithScsv, fallback.Reaction);
        Assert.True(fallback.Supported);

        Assert.Equal(ProbeStatus.Completed, v.Probe(ClientRenegotiationCheck.Key)!.Status);
        var renegotiation = v.Facts<ClientRenegotiationFacts>(ClientRenegotiationCheck.Key)!;
        Assert.Equal(ClientRenegotiation.Refused, renegotiation.Outcome);
        // The session ran with the suite the server prefers among those the assessment found, not a fixed one.
        Assert.Equal(tls12.Suites[0].Name, renegotiation.CipherSuite);

        var resumption = v.Probe(SessionResumptionCheck.Key)!;
        Assert.Equal(ProbeStatus.Completed, resumption.Status);
        Assert.Null(resumption.Note); // the full handshake completed: the resumption facts are measured
        Assert.Equal("TLSv1.2", v.Facts<SessionResumptionFacts>(SessionResumptionCheck.Key)!.Protocol);
    }

    /// <summary>ejabberd.test's address and ports from the live manifest.</summary>
    private static (IPAddress Address, int StartTls, int DirectTls) Ejabberd()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(SharedTestbed.EnsureUp()["TESTBED_MANIFEST"]));
        var d = doc.RootElement.GetProperty("domains").EnumerateArray().Single(x => x.GetProperty("domain").GetString() == "ejabberd.test");
        var address = IPAddress.Parse(d.GetProperty("endpoints")[0].GetProperty("address").GetString()!);
        Assert.True(IPAddress.IsLoopback(address));
        var ports = d.GetProperty("ports");
        return (address, ports.GetProperty("c2s_starttls").GetInt32(), ports.GetProperty("c2s_direct_tls").GetInt32());
    }
}
