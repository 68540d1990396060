using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.Coordinator.Grading.Rules;

/// <summary>Cipher strength, 40 %: (score of the strongest + score of the weakest accepted suite) / 2, by effective
/// symmetric bits (SSL Labs rating guide, "Cipher strength"; xmppoke poke.lua uses the same bands).</summary>
public sealed class CipherStrengthScoreRule : IGradingRule
{
    public string Id => "cipher_strength_score";

    public RuleOutcome? Evaluate(GradingInput input, GradingThresholds t)
    {
        var bits = input.AllSuites.Select(x => x.Suite.KeyBits).Concat(input.Ssl2CipherBits ?? []).ToList();
        if (bits.Count == 0) return null;
        int strongest = bits.Max(), weakest = bits.Min();
        int s = GradingThresholds.Band(t.CipherBands, t.CipherTopScore, strongest), w = GradingThresholds.Band(t.CipherBands, t.CipherTopScore, weakest);
        return new ScoreOutcome(new CategoryScore("cipher_strength", (s + w) / 2.0, t.CipherWeight,
            $"strongest {strongest} bits {s}, weakest {weakest} bits {w}"));
    }
}
