namespace XmppScanCluster.Coordinator.Grading.Rules;

/// <summary>M: the certificate does not name the XMPP service domain (RFC 6120 §13.7.2.1; SSL Labs "M — name mismatch").</summary>
public sealed class NameMismatchRule : IGradingRule
{
    public string Id => "name_mismatch";

    public RuleOutcome? Evaluate(GradingInput input, GradingThresholds t)
    {
        if (input.Identity is not { Matched: false } identity) return null;
        var presented = identity.PresentedIdentifiers.Take(4).Select(s => s.Value).ToList();
        var names = presented.Count > 0 ? string.Join(", ", presented) : input.Leaf?.CommonName ?? "nothing";
        return new CapOutcome("M", $"certificate does not match {identity.ReferenceIdentity} (it names {names})");
    }
}
