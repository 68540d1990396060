using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace XmppScanCluster.ScanNode.Certificates;

/// <summary>
/// A certificate's RSA or ECDSA public key as .NET (OpenSSL) verifies with it: a leaf's for the handshake signature
/// (<see cref="SessionEngine.HandshakeSignature"/>), an issuer's for the RSA signatures of the certificates it signed
/// (<see cref="RsaCertificateSignature"/>). Decoded once per certificate and kept on its <see cref="ParsedCertificate"/>
/// (<see cref="ParsedCertificate.Key"/>), so <see cref="ParsedCertificates"/> is the one cache of both: loading the
/// certificate and decoding its key cost 330 µs of CPU here (OpenSSL 3's decoders), a verification 22 µs (RSA-2048) or
/// 67 µs (P-256), and a census meets the same certificates again and again (a domain's leaf on its four endpoints, a
/// hosting server's for all its domains, a CA for everyone) (bench/depth-session, issue 14).
/// <para>.NET does not promise that one key object verifies on two threads at once, so each verification holds the key's
/// lock (22–67 µs; scans of one server on a 2-core node rarely meet there). A key is never disposed: a scan may still
/// verify with one whose certificate left the cache, and the key's handle frees itself.</para>
/// </summary>
internal sealed class CertificateKey
{
    private readonly Lock _gate = new();
    private readonly RSA? _rsa;
    private readonly ECDsa? _ecdsa;

    private CertificateKey(RSA? rsa, ECDsa? ecdsa)
    {
        _rsa = rsa;
        _ecdsa = ecdsa;
    }

    /// <summary>The key of <paramref name="der"/>; neither kind when .NET cannot load the certificate or its key (then
    /// every verification is false, as it was when each handshake loaded the certificate itself).</summary>
    public static CertificateKey Decode(byte[] der)
    {
        try
        {
            using var cert = X509CertificateLoader.LoadCertificate(der);
            // Each getter returns null at once for the other algorithm (it compares the key's OID first).
            return new CertificateKey(cert.GetRSAPublicKey(), cert.GetECDsaPublicKey());
        }
        catch (CryptographicException)
        {
            return new CertificateKey(null, null);
        }
    }

    /// <summary>False when the key is not RSA or the signature does not verify.</summary>
    public bool VerifyRsa(ReadOnlySpan<byte> content, ReadOnlySpan<byte> signature, HashAlgorithmName hash, RSASignaturePadding padding)
    {
        if (_rsa is null)
        {
            return false;
        }

        lock (_gate)
        {
            return _rsa.VerifyData(content, signature, hash, padding);
        }
    }

    /// <summary>False when the key is not ECDSA or the DER-encoded signature does not verify.</summary>
    public bool VerifyEcdsa(ReadOnlySpan<byte> content, ReadOnlySpan<byte> signature, HashAlgorithmName hash)
    {
        if (_ecdsa is null)
        {
            return false;
        }

        lock (_gate)
        {
            return _ecdsa.VerifyData(content, signature, hash, DSASignatureFormat.Rfc3279DerSequence);
        }
    }
}
