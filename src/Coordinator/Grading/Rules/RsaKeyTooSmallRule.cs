using XmppScanCluster.Shared.Certificates;

namespace XmppScanCluster.Coordinator.Grading.Rules;

/// <summary>F: RSA/DSA leaf key below 1024 bits (SSL Labs 2014 update "keys below 1024 bits are insecure"; xmppoke fail_1024).</summary>
public sealed class RsaKeyTooSmallRule : IGradingRule
{
    public string Id => "rsa_key_insecure";

    public RuleOutcome? Evaluate(GradingInput input, GradingThresholds t) =>
        input.Leaf is { KeyAlgorithm: KeyAlgorithm.Rsa or KeyAlgorithm.Dsa } leaf && leaf.KeyBits > 0 && leaf.KeyBits < t.RsaFailBelow
            ? new CapOutcome("F", $"{leaf.KeyAlgorithm.ToString().ToUpperInvariant()} key of {leaf.KeyBits} bits (below {t.RsaFailBelow})")
            : null;
}
