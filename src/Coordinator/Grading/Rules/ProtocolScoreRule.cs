using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.Coordinator.Grading.Rules;

/// <summary>Protocol support, 30 %: (score of the best + score of the worst version) / 2 (SSL Labs rating guide,
/// "Protocol support"; xmppoke poke.lua computes the same mean with its own SSLv2 score).</summary>
public sealed class ProtocolScoreRule : IGradingRule
{
    public string Id => "protocol_score";

    public RuleOutcome? Evaluate(GradingInput input, GradingThresholds t)
    {
        var protocols = input.Protocols;
        if (protocols.Count == 0) return null;
        var best = protocols[^1];
        var worst = protocols[0];
        var score = (t.ProtocolScores[best] + t.ProtocolScores[worst]) / 2.0;
        return new ScoreOutcome(new CategoryScore("protocol", score, t.ProtocolWeight,
            $"best {best.Name()} {t.ProtocolScores[best]}, worst {worst.Name()} {t.ProtocolScores[worst]}"));
    }
}
