using XmppScanCluster.ScanNode.Probes;

namespace XmppScanCluster.Coordinator.Grading.Rules;

/// <summary>F: Heartbleed (CVE-2014-0160; SSL Labs guide 2009g). Probe-only fact: not tested when absent.</summary>
public sealed class HeartbleedRule : IGradingRule
{
    public string Id => "heartbleed";

    public RuleOutcome? Evaluate(GradingInput input, GradingThresholds t) => input.Probes.Vulnerable(HeartbleedCheck.Key) switch
    {
        null => new NotTestedOutcome("Heartbleed"),
        true => new CapOutcome("F", "vulnerable to Heartbleed (CVE-2014-0160): the server returned memory beyond the heartbeat"),
        false => null,
    };
}
