using XmppScanCluster.ScanNode.Probes;

namespace XmppScanCluster.Coordinator.Grading.Rules;

/// <summary>F: insecure client-initiated renegotiation — accepted without RFC 5746 (CVE-2009-3555; SSL Labs guide 2009e).</summary>
public sealed class InsecureRenegotiationRule : IGradingRule
{
    public string Id => "insecure_renegotiation";

    public RuleOutcome? Evaluate(GradingInput input, GradingThresholds t) => input.Probes.Vulnerable(ClientRenegotiationCheck.Key) switch
    {
        null => new NotTestedOutcome("insecure renegotiation"),
        true => new CapOutcome("F", "insecure client-initiated renegotiation accepted (CVE-2009-3555)"),
        false => null,
    };
}
