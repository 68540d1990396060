using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace XmppScanCluster.ScanNode.Certificates;

/// <summary>
/// The RSA or ECDSA public key of a certificate as .NET (OpenSSL) verifies with it, by the SHA-256 of the DER: a leaf's
/// for the handshake signature (<see cref="SessionEngine.HandshakeSignature"/>), an issuer's for the RSA signatures of
/// the certificates it signed (<see cref="RsaCertificateSignature"/>). Loading the certificate and decoding its key cost
/// 330 µs of CPU here (OpenSSL 3's decoders), a verification 22 µs (RSA-2048) or 67 µs (P-256); a census meets the same
/// certificates again and again (a domain's leaf on its four endpoints, a hosting server's for all its domains, a CA for
/// everyone) (bench/depth-session, issue 14). The key depends only on the bytes, so a kept key verifies exactly what a
/// fresh one would. Bounded like <see cref="ParsedCertificates"/>: at <see cref="Capacity"/> entries it is emptied and
/// fills again.
/// </summary>
internal static class CertificateKeys
{
    /// <summary>Certificates kept (an entry is one decoded public key).</summary>
    internal const int Capacity = 1024;

    private static readonly ConcurrentDictionary<string, CertificateKey> Cache = new(StringComparer.Ordinal);

    /// <exception cref="CryptographicException">The DER is not a certificate .NET can load.</exception>
    public static CertificateKey Of(byte[] der)
    {
        var id = Convert.ToHexString(SHA256.HashData(der));
        if (Cache.TryGetValue(id, out var key))
        {
            return key;
        }

        using (var cert = X509CertificateLoader.LoadCertificate(der))
        {
            // Each getter returns null at once for the other algorithm (it compares the key's OID first).
            key = new CertificateKey(cert.GetRSAPublicKey(), cert.GetECDsaPublicKey());
        }

        if (Cache.Count >= Capacity)
        {
            // Not disposed: another scan may be verifying with an evicted key; the keys' handles free themselves.
            Cache.Clear();
        }

        return Cache.GetOrAdd(id, key);
    }
}

/// <summary>One certificate's key. .NET does not promise that one key object verifies on two threads at once, so each
/// verification holds the key's lock (22–67 µs; scans of one server on a 2-core node rarely meet there).</summary>
internal sealed class CertificateKey(RSA? rsa, ECDsa? ecdsa)
{
    private readonly Lock _gate = new();

    /// <summary>False when the key is not RSA or the signature does not verify.</summary>
    public bool VerifyRsa(ReadOnlySpan<byte> content, ReadOnlySpan<byte> signature, HashAlgorithmName hash, RSASignaturePadding padding)
    {
        if (rsa is null)
        {
            return false;
        }

        lock (_gate)
        {
            return rsa.VerifyData(content, signature, hash, padding);
        }
    }

    /// <summary>False when the key is not ECDSA or the DER-encoded signature does not verify.</summary>
    public bool VerifyEcdsa(ReadOnlySpan<byte> content, ReadOnlySpan<byte> signature, HashAlgorithmName hash)
    {
        if (ecdsa is null)
        {
            return false;
        }

        lock (_gate)
        {
            return ecdsa.VerifyData(content, signature, hash, DSASignatureFormat.Rfc3279DerSequence);
        }
    }
}
