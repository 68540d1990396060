namespace XmppScanCluster.Coordinator.Grading.Rules;

/// <summary>B: DH parameters below 2048 bits (SSL Labs guide 2009k after Logjam; xmppoke cap_dh_2048).</summary>
public sealed class DhParamsWeakRule : IGradingRule
{
    public string Id => "dh_params_weak";

    public RuleOutcome? Evaluate(GradingInput input, GradingThresholds t)
    {
        var small = input.DhGroupBits.Where(b => b < t.DhCapBelow).Distinct().Order().ToList();
        return small.Count > 0 ? new CapOutcome("B", $"DH parameters of {string.Join(", ", small)} bits (below {t.DhCapBelow})") : null;
    }
}
