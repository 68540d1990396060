using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.Coordinator.Grading.Rules;

/// <summary>C: POODLE — CBC suites at SSLv3 (CVE-2014-3566; SSL Labs guide 2009i), derived from the suite list.</summary>
public sealed class PoodleRule : IGradingRule
{
    public string Id => "poodle";

    public RuleOutcome? Evaluate(GradingInput input, GradingThresholds t) =>
        input.Has(DerivedWeakness.Poodle) ? new CapOutcome("C", "POODLE: " + input.Finding(DerivedWeakness.Poodle).Reason) : null;
}
