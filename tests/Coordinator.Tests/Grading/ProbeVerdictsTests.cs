using XmppScanCluster.Coordinator.Grading;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.Coordinator.Tests.Grading;

/// <summary>Probe results → verdicts: completed facts decide, failures and skips are "not tested".</summary>
public class ProbeVerdictsTests
{
    [Fact]
    public void CompletedProbes_giveVerdicts_andTheirCapsApply()
    {
        var report = VulnerabilityReport.Of(
        [
            new(HeartbleedCheck.Key, HeartbleedCheck.ToResult(VulnerabilityProbeResult<HeartbleedFacts>.Skipped("no heartbeat extension"))),
            new(CcsInjectionCheck.Key, CcsInjectionCheck.ToResult(VulnerabilityProbeResult<CcsInjectionFacts>.Failed(new ProbeFailure(FailureKind.Timeout, "timeout"), 1))),
            new(CompressionCheck.Key, CompressionCheck.ToResult(VulnerabilityProbeResult<CompressionFacts>.Completed(new CompressionFacts("TLSv1.2", [1, 0], 1), 1))),
            new(SecureRenegotiationCheck.Key, SecureRenegotiationCheck.ToResult(VulnerabilityProbeResult<SecureRenegotiationFacts>.Completed(new SecureRenegotiationFacts("TLSv1.2", false, 0), 1))),
            new(ClientRenegotiationCheck.Key, ClientRenegotiationCheck.ToResult(VulnerabilityProbeResult<ClientRenegotiationFacts>.Completed(new ClientRenegotiationFacts("TLSv1.2", "x", false, ClientRenegotiation.Accepted, null), 1))),
            new(FallbackScsvCheck.Key, FallbackScsvCheck.ToResult(VulnerabilityProbeResult<FallbackScsvFacts>.Completed(new FallbackScsvFacts("TLSv1.2", "TLSv1.1", FallbackReaction.InappropriateFallbackAlert, "inappropriate_fallback", null), 1))),
        ], [], 5);

        var verdicts = ProbeVerdicts.From(report);

        Assert.Equal([null, null, true, true, true, false],
            new[] { HeartbleedCheck.Key, CcsInjectionCheck.Key, CompressionCheck.Key, SecureRenegotiationCheck.Key, ClientRenegotiationCheck.Key, FallbackScsvCheck.Key }
                .Select(verdicts.Vulnerable));
        var result = Policies.SslLabs2009r.Grade(Scenario.Modern() with { Probes = verdicts });
        Assert.Equal("F", result.Grade);
        Assert.Equal(["insecure_renegotiation", "tls_compression", "no_secure_renegotiation"], result.Caps.Select(c => c.Rule));
        Assert.Contains("Heartbleed", result.NotTested);
        Assert.Contains("CCS injection", result.NotTested);
    }

    [Fact]
    public void StoredReport_withoutACheck_isNotTestedForIt_neverSafe()
    {
        // A report written before a check existed has no key for it: the check's verdict is "not tested".
        var verdicts = ProbeVerdicts.From(VulnerabilityReport.Of([], [], 0));

        Assert.All(VulnerabilityChecks.All, c => Assert.Null(verdicts.Vulnerable(c.Id)));
        Assert.All(VulnerabilityChecks.All, c => Assert.Equal(VerdictKind.NotTested, c.Verdict(null).Kind));
    }
}
