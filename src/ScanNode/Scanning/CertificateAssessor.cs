using XmppScanCluster.ScanNode.Certificates;
using XmppScanCluster.Shared.Certificates;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.ScanNode.Scanning;

/// <summary>
/// Turns the chain a server sent into facts: each certificate parsed, the trust verdict against the
/// configured anchors, and the XMPP identity match for the service domain — and the SRV target only when the
/// caller says DNSSEC and DANE allow it (RFC 7673 §5).
/// </summary>
public sealed class CertificateAssessor(TrustStore anchors, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public CertificateReport Assess(IReadOnlyList<byte[]> presentedChain, string serviceDomain, XmppMode mode,
        string? srvTarget = null, bool srvTargetAllowed = false)
    {
        var parsed = new List<CertificateFacts>(presentedChain.Count);
        var errors = new List<string>();
        for (var i = 0; i < presentedChain.Count; i++)
        {
            if (CertificateParser.TryParse(presentedChain[i], out var facts, out var error) && facts is not null)
            {
                parsed.Add(facts);
            }
            else
            {
                errors.Add($"certificate #{i}: {error}");
            }
        }

        var trust = TrustEvaluator.Evaluate(presentedChain, anchors, _clock.GetUtcNow());

        // The identity is judged on the leaf only, and only when the leaf itself parsed (index 0).
        IdentityMatch? identity = parsed.Count > 0 && errors.All(e => !e.StartsWith("certificate #0:", StringComparison.Ordinal))
            ? XmppIdentityMatcher.Match(parsed[0], serviceDomain, mode, srvTarget, srvTargetAllowed)
            : null;
        return new CertificateReport(parsed, trust, identity, errors);
    }
}
