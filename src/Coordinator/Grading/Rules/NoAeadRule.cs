using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.Coordinator.Grading.Rules;

/// <summary>B: no AEAD suite (SSL Labs guide 2009p "no AEAD → B").</summary>
public sealed class NoAeadRule : IGradingRule
{
    public string Id => "no_aead";

    public RuleOutcome? Evaluate(GradingInput input, GradingThresholds t) =>
        input.Assessed && input.Has(DerivedWeakness.NoAead) ? new CapOutcome("B", "no accepted suite is AEAD (GCM, CCM, ChaCha20-Poly1305)") : null;
}
