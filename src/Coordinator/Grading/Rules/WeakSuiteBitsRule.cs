using System.Globalization;

namespace XmppScanCluster.Coordinator.Grading.Rules;

/// <summary>F: a suite below 112 effective bits (single DES, RC2/RC4-40 non-export variants); NULL and export have
/// their own rules (SSL Labs guide 2009q, "insecure cipher suites").</summary>
public sealed class WeakSuiteBitsRule : IGradingRule
{
    public string Id => "weak_suite_bits";

    public RuleOutcome? Evaluate(GradingInput input, GradingThresholds t)
    {
        var hits = input.AllSuites.Where(x => x.Suite.KeyBits > 0 && x.Suite.KeyBits < t.MinSuiteBits && !x.Suite.IsExport && !x.Suite.IsNull).ToList();
        var ssl2 = (input.Ssl2CipherBits ?? []).Any(b => b > 0 && b < t.MinSuiteBits);
        if (hits.Count == 0 && !ssl2) return null;
        var list = hits.Count > 0 ? RuleText.Suites(hits) : "SSLv2 cipher kinds";
        return new CapOutcome("F", $"suites below {t.MinSuiteBits.ToString(CultureInfo.InvariantCulture)} bits accepted: {list}");
    }
}
