using XmppScanCluster.Shared.Certificates;

namespace XmppScanCluster.Coordinator.Grading.Rules;

/// <summary>B: RSA/DSA leaf key below 2048 bits (SSL Labs 2014 update; xmppoke cap_2048).</summary>
public sealed class RsaKeyWeakRule : IGradingRule
{
    public string Id => "rsa_key_weak";

    public RuleOutcome? Evaluate(GradingInput input, GradingThresholds t) =>
        input.Leaf is { KeyAlgorithm: KeyAlgorithm.Rsa or KeyAlgorithm.Dsa } leaf && leaf.KeyBits >= t.RsaFailBelow && leaf.KeyBits < t.RsaCapBelow
            ? new CapOutcome("B", $"{leaf.KeyAlgorithm.ToString().ToUpperInvariant()} key of {leaf.KeyBits} bits (below {t.RsaCapBelow})")
            : null;
}
