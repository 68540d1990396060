using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace XmppScanCluster.ScanNode.SessionEngine;

/// <summary>
/// The RSA or ECDSA public key of a leaf certificate, by the SHA-256 of its DER, for <see cref="HandshakeSignature"/>.
/// Loading the certificate and decoding its key cost 330 µs of CPU per handshake here (OpenSSL 3's decoders), the
/// verification itself 22 µs (RSA-2048) or 67 µs (P-256); a hosting server shows the same leaf for every domain and
/// port it serves, so a depth-session census met the same few hundred leaves thousands of times (bench/depth-session,
/// issue 14). The key depends only on the bytes, so a cached key verifies exactly what a fresh one would. Bounded like
/// <see cref="Certificates.ParsedCertificates"/>: at <see cref="Capacity"/> entries it is emptied and fills again.
/// </summary>
internal static class LeafKeys
{
    /// <summary>Leaves kept (an entry is one decoded public key).</summary>
    internal const int Capacity = 1024;

    private static readonly ConcurrentDictionary<string, LeafKey> Cache = new(StringComparer.Ordinal);

    /// <exception cref="CryptographicException">The DER is not a certificate .NET can load.</exception>
    public static LeafKey Of(byte[] leafDer)
    {
        var id = Convert.ToHexString(SHA256.HashData(leafDer));
        if (Cache.TryGetValue(id, out var key))
        {
            return key;
        }

        using (var cert = X509CertificateLoader.LoadCertificate(leafDer))
        {
            key = new LeafKey(cert.GetRSAPublicKey(), cert.GetECDsaPublicKey());
        }

        if (Cache.Count >= Capacity)
        {
            // Not disposed: another session may be verifying with an evicted key; the keys' handles free themselves.
            Cache.Clear();
        }

        return Cache.GetOrAdd(id, key);
    }
}

/// <summary>One leaf's key. .NET does not promise that one key object verifies on two threads at once, so each
/// verification holds the key's lock (22–67 µs; sessions of one server on a 2-core node rarely meet there).</summary>
internal sealed class LeafKey(RSA? rsa, ECDsa? ecdsa)
{
    private readonly Lock _gate = new();

    /// <summary>False when the leaf's key is not RSA or the signature does not verify.</summary>
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

    /// <summary>False when the leaf's key is not ECDSA or the DER-encoded signature does not verify.</summary>
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
