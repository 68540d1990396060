using XmppScanCluster.Coordinator.Grading;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.Coordinator.Tests.Grading;

/// <summary>Probe results → verdicts: completed facts decide, failures and skips are "not tested".</summary>
public class ProbeVerdictsTests
{
    [Fact]
    public void CompletedProbes_giveVerdicts_andTheirCapsApply()
    {
        var verdicts = ProbeVerdicts.From(
            VulnerabilityProbeResult<HeartbleedFacts>.Skipped("no heartbeat extension"),
            VulnerabilityProbeResult<CcsInjectionFacts>.Failed(new ProbeFailure(FailureKind.Timeout, "timeout"), 1),
            VulnerabilityProbeResult<CompressionFacts>.Completed(new CompressionFacts("TLSv1.2", [1, 0], 1), 1),
            VulnerabilityProbeResult<SecureRenegotiationFacts>.Completed(new SecureRenegotiationFacts("TLSv1.2", false, 0), 1),
            VulnerabilityProbeResult<ClientRenegotiationFacts>.Completed(new ClientRenegotiationFacts("TLSv1.2", "x", false, ClientRenegotiation.Accepted, null), 1),
            VulnerabilityProbeResult<FallbackScsvFacts>.Completed(new FallbackScsvFacts("TLSv1.2", "TLSv1.1", FallbackReaction.InappropriateFallbackAlert, "inappropriate_fallback", null), 1));

        Assert.Equal(new ProbeVerdicts(null, null, true, false, true, true), verdicts);
        var result = Policies.SslLabs2009r.Grade(Scenario.Modern() with { Probes = verdicts });
        Assert.Equal("F", result.Grade);
        Assert.Equal(["insecure_renegotiation", "tls_compression", "no_secure_renegotiation"], result.Caps.Select(c => c.Rule));
        Assert.Equal(["Heartbleed", "CCS injection"], result.NotTested);
    }
}
