using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.Coordinator.Grading.Rules;

/// <summary>B: RC4 accepted at all (SSL Labs guide 2009j, RFC 7465).</summary>
public sealed class Rc4Rule : IGradingRule
{
    public string Id => "rc4";

    public RuleOutcome? Evaluate(GradingInput input, GradingThresholds t) =>
        input.Has(DerivedWeakness.Rc4) ? new CapOutcome("B", "RC4 accepted: " + RuleText.Suites(input.AllSuites.Where(x => x.Suite.IsRc4))) : null;
}
