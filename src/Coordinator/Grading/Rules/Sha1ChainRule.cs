using XmppScanCluster.Shared.Certificates;

namespace XmppScanCluster.Coordinator.Grading.Rules;

/// <summary>
/// A SHA-1 signature on the leaf or an intermediate (self-signed roots excluded: their signature is not checked).
/// ssllabs-2009r as written: A- (a warning, the 2014–2016 deprecation). xmppscan-2026: T — today's libraries
/// refuse the chain (measured: OpenSSL 3.0 at its default security level 1 "CA signature digest algorithm too weak",
/// GnuTLS 3.7 "the certificate chain uses insecure algorithm"; Chrome 56 and Firefox 52 since 2017), and SSL Labs
/// lists an insecure signature among the reasons a certificate is not trusted. The cap is
/// <see cref="GradingThresholds.Sha1Cap"/>; who rejects it, <see cref="GradingThresholds.Sha1RejectedBy"/>.
/// </summary>
public sealed class Sha1ChainRule : IGradingRule
{
    public string Id => "sha1_in_chain";

    public RuleOutcome? Evaluate(GradingInput input, GradingThresholds t)
    {
        if (input.Chain.Where((c, i) => i == 0 || !c.IsSelfSigned).FirstOrDefault(c => c.SignatureHash == "sha1") is not { } hit) return null;
        var what = $"SHA-1 signature ({hit.SignatureAlgorithm}) on {RuleText.Cert(hit)}";
        return t.Sha1Cap == Letters.Untrusted
            ? new CapOutcome(t.Sha1Cap, $"{what}: not trusted by {string.Join(", ", t.Sha1RejectedBy)}")
            : new CapOutcome(t.Sha1Cap, what);
    }
}
