using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.Coordinator.Grading.Rules;

/// <summary>A- (warning): no TLS 1.3 (SSL Labs 2009r-era expectation; the issue asks it as a warning).</summary>
public sealed class NoTls13Rule : IGradingRule
{
    public string Id => "no_tls13";

    public RuleOutcome? Evaluate(GradingInput input, GradingThresholds t) =>
        input.Assessed && input.Protocols.Count > 0 && !input.Protocols.Contains(TlsVersion.Tls13)
            ? new CapOutcome("A-", "TLS 1.3 not supported")
            : null;
}
