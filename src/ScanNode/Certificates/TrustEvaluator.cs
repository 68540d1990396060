using XmppScanCluster.Shared.Certificates;

namespace XmppScanCluster.ScanNode.Certificates;

/// <summary>
/// Decides whether a presented chain leads to a trust anchor, without network access (AIA, CRL and OCSP URLs
/// are reported, never fetched), and classifies every problem on the way.
/// <para>
/// Trusted means: a path from the leaf to an anchor was built (possibly completed with intermediates the store
/// knows — then an <see cref="TrustProblem.IncompleteChain"/> issue is reported too, since XMPP peers seldom
/// fetch missing intermediates), every certificate on it (the anchor included) is within validity at
/// <c>now</c>, every signature verifies and every issuer is a CA. Weak signature hashes, small keys, extra or
/// misordered certificates are reported as issues but do not by themselves make a chain untrusted: grading
/// decides their weight. Name constraints, path-length constraints, EKU and revocation are not checked.
/// </para>
/// </summary>
public static class TrustEvaluator
{
    /// <summary>Evaluates <paramref name="presentedChain"/> (DER, leaf first, as sent) against <paramref name="anchors"/>.</summary>
    public static TrustVerdict Evaluate(IReadOnlyList<byte[]> presentedChain, TrustStore anchors, DateTimeOffset now) =>
        EvaluateWithPath(presentedChain, anchors, now).Verdict;

    internal static (TrustVerdict Verdict, BuiltPath? Path, IReadOnlyList<ParsedCertificate?> Presented) EvaluateWithPath(
        IReadOnlyList<byte[]> presentedChain, TrustStore anchors, DateTimeOffset now)
    {
        var issues = new List<TrustIssue>();
        if (presentedChain.Count == 0)
        {
            issues.Add(new(TrustProblem.EmptyChain, "the server sent no certificate", null));
            return (new TrustVerdict(false, issues, [], null), null, []);
        }

        var presented = new ParsedCertificate?[presentedChain.Count];
        for (var i = 0; i < presentedChain.Count; i++)
        {
            if (CertificateParser.TryParseCertificate(presentedChain[i], out var cert, out var error))
            {
                presented[i] = cert;
            }
            else
            {
                issues.Add(new(TrustProblem.Unparseable, $"certificate #{i} cannot be parsed: {error}", i));
            }
        }

        if (presented[0] is null)
        {
            return (new TrustVerdict(false, issues, [], null), null, presented);
        }

        var path = PathBuilder.Build(presented, anchors);
        var blocking = TrustClassifier.Classify(path, presented, now, issues);
        var trusted = path.End == PathEnd.Anchor && !blocking;
        var anchorSubject = path.End == PathEnd.Anchor ? path.Top.Cert.Facts.Subject : null;
        var verdict = new TrustVerdict(trusted, issues, path.Elements.Select(e => e.Cert.Sha256).ToList(), anchorSubject);
        return (verdict, path, presented);
    }
}
