using System.Globalization;
using XmppScanCluster.Shared.Certificates;

namespace XmppScanCluster.ScanNode.Certificates;

/// <summary>Turns a built path into <see cref="TrustIssue"/>s. Returns true when an issue blocks trust.</summary>
internal static class TrustClassifier
{
    /// <summary>RSA and DSA below this are too small (NIST SP 800-57 Part 1 Rev. 5, 112-bit security).</summary>
    public const int MinRsaDsaBits = 2048;

    /// <summary>EC below this is too small (same 112-bit security floor).</summary>
    public const int MinEcBits = 224;

    public static bool Classify(BuiltPath path, IReadOnlyList<ParsedCertificate?> presented, DateTimeOffset now, List<TrustIssue> issues)
    {
        var blocking = false;
        var elements = path.Elements;
        var top = path.Top;

        foreach (var e in elements)
        {
            var f = e.Cert.Facts;
            if (f.NotAfter < now)
            {
                issues.Add(new(TrustProblem.Expired, $"{Name(e)} expired on {Date(f.NotAfter)} (scan time {Date(now)})", e.PresentedIndex));
                blocking = true;
            }

            if (f.NotBefore > now)
            {
                issues.Add(new(TrustProblem.NotYetValid, $"{Name(e)} is not valid before {Date(f.NotBefore)} (scan time {Date(now)})", e.PresentedIndex));
                blocking = true;
            }
        }

        switch (path.End)
        {
            case PathEnd.SelfSignedUnknown when elements.Count == 1:
                issues.Add(new(TrustProblem.SelfSignedLeaf, $"the leaf {Name(top)} is self-signed and not a trust anchor", 0));
                break;
            case PathEnd.SelfSignedUnknown:
                issues.Add(new(TrustProblem.SelfSignedRootInChainUnknown,
                    $"the chain ends in the self-signed root {Name(top)}, which the trust store does not hold", top.PresentedIndex));
                break;
            case PathEnd.IssuerMissing:
                AddIssuerMissing(top, issues);
                break;
            case PathEnd.BadSignature:
                issues.Add(new(TrustProblem.InvalidSignature,
                    $"the signature of {Name(top)} does not verify with the key of its issuer '{path.BadIssuer!.Facts.Subject}'"
                    + (path.BadIssuer.KeySafeToVerify ? string.Empty : " (the issuer's key is too large or odd to verify at bounded cost)"), top.PresentedIndex));
                blocking = true;
                break;
            case PathEnd.TooLong:
                issues.Add(new(TrustProblem.UnknownIssuer, $"no anchor within {PathBuilder.MaxDepth} certificates", top.PresentedIndex));
                break;
        }

        foreach (var e in elements.Where(e => e.Source == PathSource.StoreIntermediate))
        {
            issues.Add(new(TrustProblem.IncompleteChain,
                $"the intermediate '{e.Cert.Facts.Subject}' was not sent; the trust store knows it, so the path was completed with it", null));
        }

        for (var i = 0; i < elements.Count; i++)
        {
            var e = elements[i];
            var f = e.Cert.Facts;
            var isTrustedTop = i == elements.Count - 1 && i > 0 && (e.Source == PathSource.StoreAnchor || f.IsSelfSigned);
            if (!isTrustedTop && SignatureAlgorithms.IsWeakHash(f.SignatureHash))
            {
                issues.Add(new(TrustProblem.WeakSignature, $"{Name(e)} is signed with {f.SignatureAlgorithm} ({f.SignatureHash})", e.PresentedIndex));
            }

            if (IsKeyTooSmall(f))
            {
                issues.Add(new(TrustProblem.KeyTooSmall, $"{Name(e)} has a {f.KeyAlgorithm.ToString().ToUpperInvariant()} {f.KeyBits}-bit key", e.PresentedIndex));
            }

            if (i > 0 && e.Source != PathSource.StoreAnchor && !f.IsCa)
            {
                issues.Add(new(TrustProblem.NotACa, $"{Name(e)} issues a certificate but is not a CA (basicConstraints cA missing)", e.PresentedIndex));
                blocking = true;
            }
        }

        AddOrderAndExtras(elements, presented, issues);
        return blocking;
    }

    private static void AddIssuerMissing(PathElement top, List<TrustIssue> issues)
    {
        var f = top.Cert.Facts;
        issues.Add(new(TrustProblem.UnknownIssuer,
            $"the issuer '{f.Issuer}' of {Name(top)} was not sent and is not in the trust store", top.PresentedIndex));
        if (f.CaIssuerUrls.Count > 0)
        {
            issues.Add(new(TrustProblem.IncompleteChain,
                $"the issuer '{f.Issuer}' of {Name(top)} was not sent; its AIA caIssuers names {f.CaIssuerUrls[0]} (not fetched)", top.PresentedIndex));
        }
    }

    private static void AddOrderAndExtras(IReadOnlyList<PathElement> elements, IReadOnlyList<ParsedCertificate?> presented, List<TrustIssue> issues)
    {
        var indices = elements.Where(e => e.PresentedIndex is not null).Select(e => e.PresentedIndex!.Value).ToList();
        for (var i = 1; i < indices.Count; i++)
        {
            if (indices[i] < indices[i - 1])
            {
                var order = string.Join(", ", indices.Select(x => $"#{x}"));
                issues.Add(new(TrustProblem.ChainOutOfOrder, $"the path uses the sent certificates in the order {order}", indices[i]));
                break;
            }
        }

        var used = indices.ToHashSet();
        for (var i = 1; i < presented.Count; i++)
        {
            var cert = presented[i];
            if (cert is null || used.Contains(i))
            {
                continue;
            }

            // A cross-signed twin of a path certificate (same subject and key) is an alternate path, not clutter.
            var twin = elements.Any(e => e.Cert.Sha256 != cert.Sha256 && e.Cert.SubjectKey == cert.SubjectKey
                && e.Cert.SpkiDer.AsSpan().SequenceEqual(cert.SpkiDer));
            if (twin)
            {
                continue;
            }

            var duplicate = elements.Any(e => e.Cert.Sha256 == cert.Sha256) ? " (a duplicate)" : string.Empty;
            issues.Add(new(TrustProblem.ExtraCertificates,
                $"certificate #{i} '{cert.Facts.Subject}' is not on the path{duplicate}", i));
        }
    }

    private static bool IsKeyTooSmall(CertificateFacts f) => f.KeyBits > 0 && f.KeyAlgorithm switch
    {
        KeyAlgorithm.Rsa or KeyAlgorithm.Dsa => f.KeyBits < MinRsaDsaBits,
        KeyAlgorithm.Ec => f.KeyBits < MinEcBits,
        _ => false,
    };

    private static string Name(PathElement e)
    {
        var where = e.PresentedIndex is int i ? $"certificate #{i}" : "store certificate";
        return $"{where} '{e.Cert.Facts.CommonName ?? e.Cert.Facts.Subject}'";
    }

    private static string Date(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
