using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.Coordinator.Grading.Rules;

/// <summary>B: TLS 1.0 or 1.1 enabled (SSL Labs January 2020 update, RFC 8996).</summary>
public sealed class OldTlsRule : IGradingRule
{
    public string Id => "tls10_tls11";

    public RuleOutcome? Evaluate(GradingInput input, GradingThresholds t)
    {
        var old = input.Protocols.Where(v => v is TlsVersion.Tls10 or TlsVersion.Tls11).Select(v => v.Name()).ToList();
        return old.Count > 0 ? new CapOutcome("B", $"{string.Join(" and ", old)} enabled (deprecated by RFC 8996)") : null;
    }
}
