namespace XmppScanCluster.Shared.Certificates;

/// <summary>Where a certificate of the chain walk came from.</summary>
public enum ChainCertificateOrigin
{
    /// <summary>Sent by the server and on the built path.</summary>
    Sent,

    /// <summary>Sent by the server and itself a trust anchor of the store.</summary>
    SentInTrustStore,

    /// <summary>A trust anchor the server did not send (normal: roots need not be sent).</summary>
    InTrustStore,

    /// <summary>An intermediate the server should have sent; the path was completed from the store.</summary>
    Missing,

    /// <summary>Sent by the server but not on the built path (extra or unrelated).</summary>
    SentNotOnPath,
}

/// <summary>
/// One line of the chain walk (as the IM Observatory shows it): the certificates as sent, in wire order, then those
/// of the built path the server did not send. <see cref="Facts"/> is given only for certificates that were not sent
/// (the sent ones are <c>chain[SentIndex]</c>).
/// </summary>
/// <param name="SentIndex">Position in the chain as sent, if sent.</param>
/// <param name="PathDepth">Position on the built path (0 = leaf), if on it.</param>
/// <param name="Origin">Sent, in trust store, missing…</param>
/// <param name="Sha256">SHA-256 of the certificate DER.</param>
/// <param name="Facts">Facts of a certificate that came from the trust store.</param>
public sealed record ChainWalkEntry(int? SentIndex, int? PathDepth, ChainCertificateOrigin Origin, string Sha256, CertificateFacts? Facts);
