namespace XmppScanCluster.Coordinator.Grading.Rules;

/// <summary>F: RC4 is the only cipher (SSL Labs guide 2009k: RC4-only servers fail).</summary>
public sealed class Rc4OnlyRule : IGradingRule
{
    public string Id => "rc4_only";

    public RuleOutcome? Evaluate(GradingInput input, GradingThresholds t)
    {
        var all = input.AllSuites.ToList();
        return all.Count > 0 && all.All(x => x.Suite.IsRc4) ? new CapOutcome("F", "RC4 is the only cipher the server accepts") : null;
    }
}
