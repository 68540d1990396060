using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.Coordinator.Grading.Rules;

/// <summary>A- (warning): no TLS 1.3 (SSL Labs 2009r-era expectation; the issue asks it as a warning).</summary>
public sealed class NoTls13Rule : IGradingRule
{
    public string Id => "no_tls13";

    public RuleOutcome? Evaluate(GradingInput input, GradingThresholds t) =>
        !input.Assessed || input.Protocols.Count == 0 || input.Protocols.Contains(TlsVersion.Tls13) ? null
        // An inconclusive answer (a reset after the ServerHello, a forged or silent answer) is not a refusal (issue 16).
        : input.Inconclusive.TryGetValue(TlsVersion.Tls13, out var why) ? new NotTestedOutcome("TLS 1.3 support: " + why)
        : new CapOutcome("A-", "TLS 1.3 not supported");
}
