using XmppScanCluster.Shared.Certificates;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.Coordinator.Grading.Rules;

/// <summary>
/// Key exchange, 30 %: the weakest of the leaf key and the ephemeral parameters (DH groups; ECDHE curves by their
/// RSA-equivalent strength when the policy scores them); anonymous key exchange scores 0 and export 40
/// (SSL Labs rating guide, "Key exchange"; xmppoke poke.lua: leaf RSA/DSA bands, EC leaf 100, DH, export, anonymous).
/// </summary>
public sealed class KeyExchangeScoreRule : IGradingRule
{
    public string Id => "key_exchange_score";

    public RuleOutcome? Evaluate(GradingInput input, GradingThresholds t)
    {
        if (!input.HasTls) return null;
        var parts = new List<(int Score, string Why)>();
        if (input.Leaf is { } leaf)
        {
            parts.Add(leaf.KeyAlgorithm switch
            {
                KeyAlgorithm.Rsa or KeyAlgorithm.Dsa => (GradingThresholds.Band(t.KeyBands, t.KeyTopScore, leaf.KeyBits), $"{leaf.KeyAlgorithm.ToString().ToUpperInvariant()} {leaf.KeyBits} leaf key"),
                _ when t.EcRsaEquivalent is { } eq => (GradingThresholds.Band(t.KeyBands, t.KeyTopScore, GradingThresholds.Band(eq, 15360, leaf.KeyBits)),
                    $"{leaf.KeyAlgorithm} {leaf.KeyBits} leaf key"),
                _ => (t.EcKeyScore, $"{leaf.KeyAlgorithm} {leaf.KeyBits} leaf key"),
            });
        }

        foreach (var bits in input.DhGroupBits.Distinct())
        {
            parts.Add((GradingThresholds.Band(t.DhBands, t.DhTopScore, bits), $"DH {bits} parameters"));
        }

        if (t.EcRsaEquivalent is { } equivalent)
        {
            foreach (var g in input.EcGroups)
            {
                parts.Add((GradingThresholds.Band(t.KeyBands, t.KeyTopScore, GradingThresholds.Band(equivalent, 15360, g.Bits)), $"ECDHE {g.Name}"));
            }
        }

        if (input.AllSuites.Any(x => x.Suite.IsExport))
        {
            parts.Add((t.ExportKeyScore, "export key exchange accepted"));
        }

        if (input.AllSuites.Any(x => x.Suite.IsAnonymous))
        {
            parts.Add((t.AnonymousKeyScore, "anonymous key exchange accepted"));
        }

        if (parts.Count == 0) return null;
        var weakest = parts.MinBy(p => p.Score);
        return new ScoreOutcome(new CategoryScore("key_exchange", weakest.Score, t.KeyExchangeWeight, "weakest: " + weakest.Why));
    }
}
