namespace XmppScanCluster.Coordinator.Grading.Rules;

/// <summary>F: an MD5 certificate signature (SSL Labs 2014 update; xmppoke checked the leaf's md5WithRSAEncryption only,
/// see <see cref="GradingThresholds.Md5LeafOnly"/>). Self-signed roots are not judged: their signature is not used.</summary>
public sealed class Md5SignatureRule : IGradingRule
{
    public string Id => "md5_signature";

    public RuleOutcome? Evaluate(GradingInput input, GradingThresholds t)
    {
        var chain = t.Md5LeafOnly ? input.Chain.Take(1) : input.Chain.Where((c, i) => i == 0 || !c.IsSelfSigned);
        var hit = chain.FirstOrDefault(c => c.SignatureHash == "md5");
        return hit is null ? null : new CapOutcome("F", $"MD5 signature ({hit.SignatureAlgorithm}) on {RuleText.Cert(hit)}");
    }
}
