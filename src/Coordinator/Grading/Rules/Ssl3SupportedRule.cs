using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.Coordinator.Grading.Rules;

/// <summary>B: SSLv3 supported at all (SSL Labs guide 2009i caps at B; xmppoke cap_ssl3).</summary>
public sealed class Ssl3SupportedRule : IGradingRule
{
    public string Id => "ssl3_supported";

    public RuleOutcome? Evaluate(GradingInput input, GradingThresholds t) =>
        input.Protocols.Contains(TlsVersion.Ssl3) ? new CapOutcome("B", "SSLv3 is enabled") : null;
}
