namespace XmppScanCluster.ScanNode.Certificates;

/// <summary>Where a certificate on a built path came from.</summary>
internal enum PathSource
{
    Presented,
    StoreAnchor,
    StoreIntermediate,
}

/// <summary>Why path building stopped.</summary>
internal enum PathEnd
{
    /// <summary>The last element is a trust anchor.</summary>
    Anchor,

    /// <summary>The last element is self-signed and not an anchor.</summary>
    SelfSignedUnknown,

    /// <summary>No certificate with the last element's issuer name is presented or stored.</summary>
    IssuerMissing,

    /// <summary>Certificates with the right name exist, but none of their keys verifies the signature.</summary>
    BadSignature,

    /// <summary>The path got longer than <see cref="PathBuilder.MaxDepth"/> (a loop or a hostile chain).</summary>
    TooLong,
}

/// <summary>One certificate of a built path; <see cref="PresentedIndex"/> is its position in the presented chain, if sent.</summary>
internal sealed record PathElement(ParsedCertificate Cert, int? PresentedIndex, PathSource Source);

/// <summary>A built path, leaf first, and how it ended. <see cref="BadIssuer"/> is set for <see cref="PathEnd.BadSignature"/>.</summary>
internal sealed record BuiltPath(IReadOnlyList<PathElement> Elements, PathEnd End, ParsedCertificate? BadIssuer)
{
    public PathElement Top => Elements[^1];
}

/// <summary>
/// Builds one certification path from the leaf (RFC 5280 §6, RFC 4158 in its simplest greedy form): at each
/// step the issuer is looked up by subject DN among the anchors first (so a path stops at the first trusted
/// name, as modern validators do with cross-signed roots), then the presented certificates (in any order), then
/// the store's known intermediates. Candidates whose SKI equals the child's AKI are tried first; a candidate is
/// taken only when the child's signature verifies with its key. No backtracking beyond that.
/// </summary>
internal static class PathBuilder
{
    public const int MaxDepth = 10;

    public static BuiltPath Build(IReadOnlyList<ParsedCertificate?> presented, TrustStore store)
    {
        var leaf = presented[0] ?? throw new ArgumentException("the leaf must be parsed", nameof(presented));
        var elements = new List<PathElement> { new(leaf, 0, PathSource.Presented) };
        var usedPresented = new HashSet<int> { 0 };
        var onPath = new HashSet<string>(StringComparer.Ordinal) { leaf.Sha256 };
        var current = leaf;

        while (true)
        {
            if (store.IsAnchor(current))
            {
                return new BuiltPath(elements, PathEnd.Anchor, null);
            }

            if (current.Facts.IsSelfSigned)
            {
                return new BuiltPath(elements, PathEnd.SelfSignedUnknown, null);
            }

            if (elements.Count >= MaxDepth)
            {
                return new BuiltPath(elements, PathEnd.TooLong, null);
            }

            var candidates = Candidates(current, presented, store, onPath);
            if (candidates.Count == 0)
            {
                return new BuiltPath(elements, PathEnd.IssuerMissing, null);
            }

            var chosen = candidates.FirstOrDefault(c => current.IsSignedBy(c.Cert));
            if (chosen is null)
            {
                return new BuiltPath(elements, PathEnd.BadSignature, candidates[0].Cert);
            }

            // A store certificate that was also sent counts as sent (first unused copy).
            var index = chosen.PresentedIndex ?? FindPresented(presented, chosen.Cert.Sha256, usedPresented);
            if (index is int i)
            {
                usedPresented.Add(i);
            }

            elements.Add(chosen with { PresentedIndex = index });
            onPath.Add(chosen.Cert.Sha256);
            current = chosen.Cert;
        }
    }

    private static List<PathElement> Candidates(ParsedCertificate child, IReadOnlyList<ParsedCertificate?> presented, TrustStore store, HashSet<string> onPath)
    {
        var candidates = new List<PathElement>();
        foreach (var stored in store.BySubject(child.IssuerKey))
        {
            if (store.IsAnchor(stored) && !onPath.Contains(stored.Sha256))
            {
                candidates.Add(new PathElement(stored, null, PathSource.StoreAnchor));
            }
        }

        for (var i = 1; i < presented.Count; i++)
        {
            var cert = presented[i];
            if (cert is not null && cert.SubjectKey == child.IssuerKey && !onPath.Contains(cert.Sha256)
                && candidates.All(c => c.Cert.Sha256 != cert.Sha256))
            {
                candidates.Add(new PathElement(cert, i, PathSource.Presented));
            }
        }

        foreach (var stored in store.BySubject(child.IssuerKey))
        {
            if (!store.IsAnchor(stored) && !onPath.Contains(stored.Sha256) && candidates.All(c => c.Cert.Sha256 != stored.Sha256))
            {
                candidates.Add(new PathElement(stored, null, PathSource.StoreIntermediate));
            }
        }

        // Stable: key-id matches (or no key ids to compare) before key-id mismatches.
        return candidates.OrderBy(c => KeyIdMismatch(child, c.Cert) ? 1 : 0).ToList();
    }

    private static bool KeyIdMismatch(ParsedCertificate child, ParsedCertificate issuer) =>
        child.AuthorityKeyId is { } aki && issuer.SubjectKeyId is { } ski && !aki.AsSpan().SequenceEqual(ski);

    private static int? FindPresented(IReadOnlyList<ParsedCertificate?> presented, string sha256, HashSet<int> used)
    {
        for (var i = 1; i < presented.Count; i++)
        {
            if (!used.Contains(i) && presented[i]?.Sha256 == sha256)
            {
                return i;
            }
        }

        return null;
    }
}
