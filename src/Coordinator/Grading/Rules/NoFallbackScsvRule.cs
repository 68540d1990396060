using XmppScanCluster.ScanNode.Probes;

namespace XmppScanCluster.Coordinator.Grading.Rules;

/// <summary>A- (warning): TLS_FALLBACK_SCSV not honoured (SSL Labs guide 2009i/2009r warnings; RFC 7507). Only meaningful
/// with two or more protocol versions. Probe-only fact.</summary>
public sealed class NoFallbackScsvRule : IGradingRule
{
    public string Id => "no_fallback_scsv";

    public RuleOutcome? Evaluate(GradingInput input, GradingThresholds t)
    {
        if (input.Protocols.Count < 2) return null;
        return input.Probes.Vulnerable(FallbackScsvCheck.Key) switch
        {
            null => new NotTestedOutcome("TLS_FALLBACK_SCSV"),
            true => new CapOutcome("A-", "downgrade protection TLS_FALLBACK_SCSV (RFC 7507) not supported"),
            false => null,
        };
    }
}
