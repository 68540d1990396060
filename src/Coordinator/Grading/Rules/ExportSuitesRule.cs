using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.Coordinator.Grading.Rules;

/// <summary>F: export suites accepted (SSL Labs guide 2009j, FREAK/Logjam era).</summary>
public sealed class ExportSuitesRule : IGradingRule
{
    public string Id => "export_suites";

    public RuleOutcome? Evaluate(GradingInput input, GradingThresholds t) =>
        input.Has(DerivedWeakness.Export)
            ? new CapOutcome("F", "export-grade suites accepted: " + RuleText.Suites(input.AllSuites.Where(x => x.Suite.IsExport)))
            : null;
}
