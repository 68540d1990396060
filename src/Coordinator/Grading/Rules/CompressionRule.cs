using XmppScanCluster.ScanNode.Probes;

namespace XmppScanCluster.Coordinator.Grading.Rules;

/// <summary>C: TLS compression (CRIME; SSL Labs guide 2009e; xmppoke cap_compression).</summary>
public sealed class CompressionRule : IGradingRule
{
    public string Id => "tls_compression";

    public RuleOutcome? Evaluate(GradingInput input, GradingThresholds t) => input.Probes.Vulnerable(CompressionCheck.Key) switch
    {
        null => new NotTestedOutcome("TLS compression"),
        true => new CapOutcome("C", "TLS compression enabled (CRIME)"),
        false => null,
    };
}
