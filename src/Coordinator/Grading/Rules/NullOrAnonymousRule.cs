using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.Coordinator.Grading.Rules;

/// <summary>F: NULL-cipher or anonymous suites accepted (SSL Labs guide: "anonymous key exchange 0 %" and
/// "0-bit cipher 0 %", i.e. a zero category; stated as a cap so the reason is explicit).</summary>
public sealed class NullOrAnonymousRule : IGradingRule
{
    public string Id => "null_or_anonymous_suites";

    public RuleOutcome? Evaluate(GradingInput input, GradingThresholds t)
    {
        var hits = input.AllSuites.Where(x => x.Suite.IsNull || x.Suite.IsAnonymous).ToList();
        if (hits.Count == 0) return null;
        var what = (hits.Any(x => x.Suite.IsNull), hits.Any(x => x.Suite.IsAnonymous)) switch
        {
            (true, true) => "NULL-cipher and anonymous suites",
            (true, false) => "NULL-cipher suites (no encryption)",
            _ => "anonymous suites (no server authentication)",
        };
        return new CapOutcome("F", $"{what} accepted: {RuleText.Suites(hits)}");
    }
}
