using System.Text;
using XmppScanCluster.Shared.Certificates;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.ScanNode.Certificates;

/// <summary>
/// Tells an incomplete chain from an unknown CA (opt-in, <c>--fetch-aia</c>): when the server did not send the issuer
/// of a presented certificate and the trust store does not know it, fetch that certificate's AIA caIssuers URL; if
/// what comes back is a CA certificate that signs it, the path is built again with it. The fetched certificate is
/// recorded as evidence (<see cref="AiaFetchFacts"/>), the issue says where it came from, and trust is whatever the
/// completed path reaches: an anchor (incomplete chain, SSL Labs caps B) or still no anchor (unknown CA, T).
/// One level: the fetched certificate's own AIA is not followed. A self-signed answer is never made an anchor.
/// </summary>
public static class AiaCompletion
{
    public static async Task<CertificateReport> CompleteAsync(CertificateReport report, IReadOnlyList<byte[]> chain, TrustStore anchors,
        DateTimeOffset now, AiaIssuerFetcher fetcher, CancellationToken cancellationToken)
    {
        var missing = report.Trust.Issues.FirstOrDefault(i => i.Problem == TrustProblem.UnknownIssuer && i.ChainIndex is { } n && n < report.Chain.Count);
        if (missing is null)
        {
            return report;
        }

        var fetches = new List<AiaFetchFacts>();
        foreach (var url in report.Chain[missing.ChainIndex!.Value].CaIssuerUrls.Take(2))
        {
            var (body, outcome) = await fetcher.FetchAsync(url, cancellationToken).ConfigureAwait(false);
            if (body is null)
            {
                fetches.Add(new AiaFetchFacts(url, outcome));
                continue;
            }

            var der = Certificate(body);
            if (der is null || !CertificateParser.TryParse(der, out var facts, out _) || facts is null)
            {
                fetches.Add(new AiaFetchFacts(url, "unparseable"));
                continue;
            }

            if (facts.IsSelfSigned)
            {
                // A root from the network is evidence only: trust comes from the configured store, never from AIA.
                fetches.Add(new AiaFetchFacts(url, "self_signed", facts.Sha256, facts.Subject, der));
                continue;
            }

            var trust = TrustEvaluator.Evaluate(chain, TrustStore.Combine(anchors, TrustStore.FromDerCertificates([der])), now);
            if (!trust.PathSha256.Contains(facts.Sha256))
            {
                fetches.Add(new AiaFetchFacts(url, "not_the_issuer", facts.Sha256, facts.Subject, der));
                continue;
            }

            fetches.Add(new AiaFetchFacts(url, "fetched", facts.Sha256, facts.Subject, der));
            var issues = trust.Issues.Select(i => i.Problem == TrustProblem.IncompleteChain && i.Message.Contains($"'{facts.Subject}'", StringComparison.Ordinal)
                ? i with { Message = $"the intermediate '{facts.Subject}' was not sent; fetched from its AIA caIssuers URL {url}, the path was completed with it" }
                : i).ToList();
            return report with { Trust = trust with { Issues = issues }, AiaFetches = fetches };
        }

        return report with { AiaFetches = fetches };
    }

    /// <summary>DER as served, or the first certificate of a PEM body.</summary>
    private static byte[]? Certificate(byte[] body)
    {
        if (body.Length > 0 && body[0] == 0x30)
        {
            return body;
        }

        var blocks = PemReader.CertificateBlocks(Encoding.ASCII.GetString(body), out _);
        return blocks.Count > 0 ? blocks[0] : null;
    }
}
