using XmppScanCluster.ScanNode.Probes;

namespace XmppScanCluster.Coordinator.Grading.Rules;

/// <summary>A- (warning): no RFC 5746 secure renegotiation (SSL Labs 2014 warnings). Probe-only fact.</summary>
public sealed class NoSecureRenegotiationRule : IGradingRule
{
    public string Id => "no_secure_renegotiation";

    public RuleOutcome? Evaluate(GradingInput input, GradingThresholds t) => input.Probes.Vulnerable(SecureRenegotiationCheck.Key) switch
    {
        null => new NotTestedOutcome("secure renegotiation"),
        true => new CapOutcome("A-", "no secure renegotiation (RFC 5746)"),
        false => null,
    };
}
