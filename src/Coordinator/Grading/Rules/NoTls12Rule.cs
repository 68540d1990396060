using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.Coordinator.Grading.Rules;

/// <summary>C: neither TLS 1.2 nor TLS 1.3 (SSL Labs 2014 B cap, C since 2009p; xmppoke caps at C when the best is not TLS 1.2).</summary>
public sealed class NoTls12Rule : IGradingRule
{
    public string Id => "no_tls12";

    public RuleOutcome? Evaluate(GradingInput input, GradingThresholds t) =>
        !input.Assessed || input.Protocols is not { Count: > 0 } p || p[^1] >= TlsVersion.Tls12 ? null
        // Inconclusive is not absent (issue 16): no cap for what was not proven.
        : input.Inconclusive.Where(kv => kv.Key >= TlsVersion.Tls12).Select(kv => kv.Value).FirstOrDefault() is { } why
            ? new NotTestedOutcome("TLS 1.2/1.3 support: " + why)
        : new CapOutcome("C", $"no TLS 1.2 or 1.3: the best protocol is {p[^1].Name()}");
}
