using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.Coordinator.Grading.Rules;

/// <summary>F: SSLv3 is the best protocol (SSL Labs guide 2009i; xmppoke "SSL3 as their best protocol").</summary>
public sealed class Ssl3BestRule : IGradingRule
{
    public string Id => "ssl3_best_protocol";

    public RuleOutcome? Evaluate(GradingInput input, GradingThresholds t) =>
        input.Protocols is [.., TlsVersion.Ssl3]
            ? new CapOutcome("F", "SSLv3 is the best protocol the server speaks")
            : null;
}
