using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace XmppScanCluster.ScanNode.Transport;

/// <summary>
/// The certificate validation callback of the session probe: records the chain the server sent and accepts
/// anything (a scanner records, grading judges).
/// </summary>
/// <remarks>
/// What .NET 10 on Linux (OpenSSL 3) hands the callback, measured with a fake server sending
/// [leaf, intermediate] (see ChainCaptureTests): <c>certificate</c> is the leaf, and
/// <c>chain.ChainPolicy.ExtraStore</c> holds every certificate of the server's Certificate message, leaf
/// included, in wire order (SslStream fills it from OpenSSL's SSL_get_peer_cert_chain, which on the client
/// side keeps the peer's order and includes the leaf). <c>chain.ChainElements</c> is NOT the wire chain: it
/// is the path .NET built (reordered, duplicates and unrelated certificates dropped, local roots added). So
/// the wire order is taken from ExtraStore; if a platform ever leaves the leaf out, it is put in front.
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
