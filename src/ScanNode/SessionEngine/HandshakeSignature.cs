using System.Security.Cryptography;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using XmppScanCluster.ScanNode.Certificates;

namespace XmppScanCluster.ScanNode.SessionEngine;

/// <summary>
/// Checks the server's handshake signature with its leaf certificate's key, as any TLS client does: TLS 1.3
/// CertificateVerify (RFC 8446 §4.4.3) and the TLS 1.2 ServerKeyExchange (RFC 5246 §7.4.3). It proves the server holds
/// the key of the chain the session records; whether that chain is trusted is TrustEvaluator's question, not this one.
/// RSA and ECDSA through .NET (OpenSSL's verification), EdDSA and RSASSA-PSS-keyed certificates through BouncyCastle.
/// </summary>
internal static class HandshakeSignature
{
    /// <summary>The 64 spaces, context string and separator in front of the transcript hash (RFC 8446 §4.4.3).</summary>
    public static byte[] Tls13ServerContent(ReadOnlySpan<byte> transcriptHash)
    {
        const string context = "TLS 1.3, server CertificateVerify";
        var content = new byte[64 + context.Length + 1 + transcriptHash.Length];
        content.AsSpan(0, 64).Fill(0x20);
        System.Text.Encoding.ASCII.GetBytes(context, content.AsSpan(64));
        transcriptHash.CopyTo(content.AsSpan(64 + context.Length + 1));
        return content;
    }

    /// <summary>True when <paramref name="signature"/> over <paramref name="content"/> verifies with the leaf's key under
    /// <paramref name="scheme"/>; false when it does not, or the key does not fit the scheme.</summary>
    /// <exception cref="EngineHandshakeException">A scheme this client did not offer (the server broke the protocol).</exception>
    public static bool Verify(ushort scheme, byte[] leafDer, ReadOnlySpan<byte> content, ReadOnlySpan<byte> signature, bool tls13)
    {
        try
        {
            return scheme switch
            {
                0x0804 or 0x0805 or 0x0806 => Rsa(leafDer, content, signature, Hash(scheme), RSASignaturePadding.Pss),
                0x0401 or 0x0501 or 0x0601 or 0x0201 when !tls13 => Rsa(leafDer, content, signature, Hash(scheme), RSASignaturePadding.Pkcs1),
                0x0403 or 0x0503 or 0x0603 => Ecdsa(leafDer, content, signature, Hash(scheme)),
                0x0203 when !tls13 => Ecdsa(leafDer, content, signature, HashAlgorithmName.SHA1),
                0x0807 => Bouncy(leafDer, "Ed25519", content, signature),
                0x0808 => Bouncy(leafDer, "Ed448", content, signature),
                0x0809 => Bouncy(leafDer, "SHA256WITHRSAANDMGF1", content, signature),
                0x080A => Bouncy(leafDer, "SHA384WITHRSAANDMGF1", content, signature),
                0x080B => Bouncy(leafDer, "SHA512WITHRSAANDMGF1", content, signature),
                _ => throw EngineHandshakeException.Protocol($"the server signed with scheme 0x{scheme:X4}, which was not offered"),
            };
        }
        catch (CryptographicException)
        {
            return false; // an unreadable certificate or key
        }
        catch (Exception e) when (e is ArgumentException or InvalidCastException or Org.BouncyCastle.Security.SecurityUtilityException
            or Org.BouncyCastle.Crypto.CryptoException or Org.BouncyCastle.Security.Certificates.CertificateException)
        {
            return false;
        }
    }

    private static HashAlgorithmName Hash(ushort scheme) => (scheme >> 8, scheme & 0xFF) switch
    {
        (8, 4) or (8, 9) or (4, _) => HashAlgorithmName.SHA256,
        (8, 5) or (8, 10) or (5, _) => HashAlgorithmName.SHA384,
        (8, 6) or (8, 11) or (6, _) => HashAlgorithmName.SHA512,
        _ => HashAlgorithmName.SHA1,
    };

    private static bool Rsa(byte[] leafDer, ReadOnlySpan<byte> content, ReadOnlySpan<byte> signature, HashAlgorithmName hash, RSASignaturePadding padding) =>
        KeyOf(leafDer).VerifyRsa(content, signature, hash, padding);

    private static bool Ecdsa(byte[] leafDer, ReadOnlySpan<byte> content, ReadOnlySpan<byte> signature, HashAlgorithmName hash) =>
        KeyOf(leafDer).VerifyEcdsa(content, signature, hash);

    /// <summary>The leaf's kept key: the certificate is parsed (and cached) for the session's chain anyway; one the parser
    /// refuses is decoded for this handshake only.</summary>
    private static CertificateKey KeyOf(byte[] leafDer) =>
        CertificateParser.TryParseCertificate(leafDer, out var parsed, out _) ? parsed!.Key : CertificateKey.Decode(leafDer);

    private static bool Bouncy(byte[] leafDer, string algorithm, ReadOnlySpan<byte> content, ReadOnlySpan<byte> signature)
    {
        var key = VerificationKeys.Of(new X509CertificateParser().ReadCertificate(leafDer));
        var signer = SignerUtilities.GetSigner(algorithm);
        signer.Init(false, key);
        signer.BlockUpdate(content);
        return signer.VerifySignature(signature.ToArray());
    }
}
