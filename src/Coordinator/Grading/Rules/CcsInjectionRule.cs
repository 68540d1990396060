using XmppScanCluster.ScanNode.Probes;

namespace XmppScanCluster.Coordinator.Grading.Rules;

/// <summary>F: OpenSSL CCS injection (CVE-2014-0224; SSL Labs guide 2009h). Probe-only fact.</summary>
public sealed class CcsInjectionRule : IGradingRule
{
    public string Id => "ccs_injection";

    public RuleOutcome? Evaluate(GradingInput input, GradingThresholds t) => input.Probes.Vulnerable(CcsInjectionCheck.Key) switch
    {
        null => new NotTestedOutcome("CCS injection"),
        true => new CapOutcome("F", "vulnerable to CCS injection (CVE-2014-0224): an early ChangeCipherSpec was accepted"),
        false => null,
    };
}
