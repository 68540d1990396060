using XmppScanCluster.Shared.Dns;

namespace XmppScanCluster.ScanNode.Certificates;

/// <summary>The presented chain parsed once for DANE matching, with the PKIX verdict computed only if a PKIX usage needs it.</summary>
internal sealed class DaneChain
{
    private readonly ParsedCertificate?[] _presented;
    private readonly Lazy<(bool Trusted, IReadOnlyList<ParsedCertificate> Path)> _pkix;

    public DaneChain(IReadOnlyList<byte[]> presentedChain, TrustStore? anchors, DateTimeOffset now)
    {
        _presented = presentedChain.Select(der => CertificateParser.TryParseCertificate(der, out var c, out _) ? c : null).ToArray();
        _pkix = new(() =>
        {
            if (anchors is null || presentedChain.Count == 0)
            {
                return (false, []);
            }

            var (verdict, path, _) = TrustEvaluator.EvaluateWithPath(presentedChain, anchors, now);
            return (verdict.Trusted, path?.Elements.Select(e => e.Cert).ToList() ?? []);
        });
    }

    /// <summary>A note for mismatch messages when PKIX validation was attempted and failed.</summary>
    public string PkixNote => _pkix.IsValueCreated && !_pkix.Value.Trusted ? " (the chain is not PKIX-trusted, so PKIX usages cannot match)" : string.Empty;

    private ParsedCertificate? Leaf => _presented.Length > 0 ? _presented[0] : null;

    public bool Matches(TlsaRecord r)
    {
        var leaf = Leaf;
        if (leaf is null)
        {
            return false;
        }

        switch (r.Usage)
        {
            case 3:
                return DaneMatcher.DataMatches(r, leaf);
            case 2:
                for (var i = 1; i < _presented.Length; i++)
                {
                    if (_presented[i] is { } ta && DaneMatcher.DataMatches(r, ta) && Reaches(leaf, ta))
                    {
                        return true;
                    }
                }

                return false;
            case 1:
                return DaneMatcher.DataMatches(r, leaf) && _pkix.Value.Trusted;
            case 0:
                return _pkix.Value.Trusted && _pkix.Value.Path.Skip(1).Any(c => DaneMatcher.DataMatches(r, c));
            default:
                return false;
        }
    }

    /// <summary>True when signatures chain from <paramref name="leaf"/> up to <paramref name="anchor"/> through presented certificates.</summary>
    private bool Reaches(ParsedCertificate leaf, ParsedCertificate anchor)
    {
        var current = leaf;
        var visited = new HashSet<string>(StringComparer.Ordinal) { leaf.Sha256 };
        for (var depth = 0; depth < PathBuilder.MaxDepth; depth++)
        {
            if (current.IssuerKey == anchor.SubjectKey && current.IsSignedBy(anchor))
            {
                return true;
            }

            var next = _presented.FirstOrDefault(c => c is not null && !visited.Contains(c.Sha256)
                && c.SubjectKey == current.IssuerKey && current.IsSignedBy(c));
            if (next is null)
            {
                return false;
            }

            visited.Add(next.Sha256);
            current = next;
        }

        return false;
    }
}
