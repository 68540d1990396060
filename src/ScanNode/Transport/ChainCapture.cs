using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace XmppScanCluster.ScanNode.Transport;

/// <summary>
/// The certificate validation callback of the session probe: records the chain the server sent and accepts
/// anything (a scanner records, grading judges).
/// </summary>
/// <remarks>
/// What .NET 10 on Linux (OpenSSL 3.0) hands the callback, measured in November 2026:
/// <list type="bullet">
/// <item><c>certificate</c> is the leaf.</item>
/// <item><c>chain.ChainPolicy.ExtraStore</c> holds every certificate of the server's Certificate message,
/// leaf included, exactly in wire order (SslStream fills it from OpenSSL's SSL_get_peer_cert_chain, which on
/// the client side keeps the peer's order and includes the leaf). With <c>openssl s_server -cert_chain</c>
/// sending [leaf, root, unrelated self-signed, intermediate] it contained those four in that order, for
/// TLS 1.2 and TLS 1.3 alike: nothing is dropped, deduplicated or reordered. ChainCaptureTests pins the
/// normal [leaf, intermediate] case.</item>
/// <item><c>chain.ChainElements</c> is NOT the wire chain: it is the path .NET built (reordered, unrelated
/// certificates dropped, local roots added).</item>
/// </list>
/// So the wire order is taken from ExtraStore; should a platform ever leave the leaf out, it is put in front.
/// </remarks>
internal sealed class ChainCapture
{
    private readonly List<byte[]> _presented = [];

    /// <summary>DER of the certificates as sent, leaf first; empty until the callback ran.</summary>
    public IReadOnlyList<byte[]> Presented => _presented;

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        _presented.Clear();
        byte[]? leaf = certificate?.GetRawCertData();
        var extra = chain?.ChainPolicy.ExtraStore;
        if (leaf is not null && (extra is null || extra.Count == 0 || !extra[0].RawData.AsSpan().SequenceEqual(leaf)))
        {
            _presented.Add(leaf);
        }
        if (extra is not null)
        {
            foreach (var cert in extra) _presented.Add(cert.RawData);
        }
        return true;
    }
}
