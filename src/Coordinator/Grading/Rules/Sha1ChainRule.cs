namespace XmppScanCluster.Coordinator.Grading.Rules;

/// <summary>A- (warning): a SHA-1 signature on the leaf or an intermediate (SSL Labs 2014–2016 SHA-1 deprecation;
/// self-signed roots excluded: their signature is not checked).</summary>
public sealed class Sha1ChainRule : IGradingRule
{
    public string Id => "sha1_in_chain";

    public RuleOutcome? Evaluate(GradingInput input, GradingThresholds t) =>
        input.Chain.Where((c, i) => i == 0 || !c.IsSelfSigned).FirstOrDefault(c => c.SignatureHash == "sha1") is { } hit
            ? new CapOutcome("A-", $"SHA-1 signature ({hit.SignatureAlgorithm}) on {RuleText.Cert(hit)}")
            : null;
}
