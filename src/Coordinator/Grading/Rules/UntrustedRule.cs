using XmppScanCluster.Shared.Certificates;

namespace XmppScanCluster.Coordinator.Grading.Rules;

/// <summary>T: the chain is not trusted (SSL Labs guide: "T — certificate not trusted"; the grade ignoring trust is kept).
/// Weak signatures and small keys alone do not make a chain untrusted (their own rules cap).</summary>
public sealed class UntrustedRule : IGradingRule
{
    public string Id => "untrusted";

    public RuleOutcome? Evaluate(GradingInput input, GradingThresholds t)
    {
        if (input.Trust is not { Trusted: false } trust) return null;
        var blocking = trust.Issues.Where(i => i.Problem is not (TrustProblem.WeakSignature or TrustProblem.KeyTooSmall
            or TrustProblem.ExtraCertificates or TrustProblem.ChainOutOfOrder or TrustProblem.IncompleteChain)).Select(i => i.Message).ToList();
        var why = blocking.Count > 0 ? string.Join("; ", blocking) : string.Join("; ", trust.Issues.Select(i => i.Message));
        return new CapOutcome("T", "certificate not trusted: " + (why.Length > 0 ? why : "no path to a trust anchor"));
    }
}
