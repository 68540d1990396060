using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.Coordinator.Grading.Rules;

/// <summary>F: SSLv2 supported (SSL Labs guide 2009d+ "SSL 2.0 → F"; xmppoke fail_ssl2).</summary>
public sealed class Ssl2Rule : IGradingRule
{
    public string Id => "ssl2";

    public RuleOutcome? Evaluate(GradingInput input, GradingThresholds t) =>
        input.Ssl2Supported ? new CapOutcome("F", "SSLv2 is enabled (broken protocol; DROWN)")
        // A close nobody confirmed is not "SSLv2 disabled" (issue 16): the rule was not tested, never passed.
        : input.Inconclusive.TryGetValue(TlsVersion.Ssl2, out var why) ? new NotTestedOutcome("SSLv2 support: " + why)
        : null;
}
