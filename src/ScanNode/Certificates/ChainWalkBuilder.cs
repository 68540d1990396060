using System.Security.Cryptography;
using XmppScanCluster.Shared.Certificates;

namespace XmppScanCluster.ScanNode.Certificates;

/// <summary>The chain walk of a presented chain and the leaf's issuer (for OCSP), from one path-building run.</summary>
internal sealed record ChainWalk(IReadOnlyList<ChainWalkEntry> Entries, ParsedCertificate? Leaf, ParsedCertificate? LeafIssuer);

/// <summary>
/// Lays the built path over the chain as sent: each sent certificate in wire order marked sent / sent and in the
/// trust store / sent but not on the path, then the path certificates the server did not send, marked in the trust
/// store (an anchor: fine) or missing (an intermediate the server should have sent).
/// </summary>
internal static class ChainWalkBuilder
{
    public static ChainWalk Build(IReadOnlyList<byte[]> presentedChain, TrustStore anchors, DateTimeOffset now)
    {
        if (presentedChain.Count == 0)
        {
            return new ChainWalk([], null, null);
        }

        var (_, path, presented) = TrustEvaluator.EvaluateWithPath(presentedChain, anchors, now);
        var elements = path?.Elements ?? [];
        var entries = new List<ChainWalkEntry>(presentedChain.Count + 2);
        for (var i = 0; i < presentedChain.Count; i++)
        {
            var depth = IndexOf(elements, e => e.PresentedIndex == i);
            var sha256 = presented.Count > i && presented[i] is { } parsed ? parsed.Sha256 : Convert.ToHexStringLower(SHA256.HashData(presentedChain[i]));
            var origin = depth is null ? ChainCertificateOrigin.SentNotOnPath
                : elements[depth.Value].Source == PathSource.StoreAnchor || anchors.IsAnchor(elements[depth.Value].Cert) ? ChainCertificateOrigin.SentInTrustStore
                : ChainCertificateOrigin.Sent;
            entries.Add(new ChainWalkEntry(i, depth, origin, sha256, null));
        }

        for (var depth = 0; depth < elements.Count; depth++)
        {
            var element = elements[depth];
            if (element.PresentedIndex is null)
            {
                var origin = element.Source == PathSource.StoreAnchor ? ChainCertificateOrigin.InTrustStore : ChainCertificateOrigin.Missing;
                entries.Add(new ChainWalkEntry(null, depth, origin, element.Cert.Sha256, element.Cert.Facts));
            }
        }

        var leaf = presented.Count > 0 ? presented[0] : null;
        return new ChainWalk(entries, leaf, elements.Count > 1 ? elements[1].Cert : null);
    }

    private static int? IndexOf(IReadOnlyList<PathElement> elements, Func<PathElement, bool> match)
    {
        for (var i = 0; i < elements.Count; i++)
        {
            if (match(elements[i]))
            {
                return i;
            }
        }

        return null;
    }
}
