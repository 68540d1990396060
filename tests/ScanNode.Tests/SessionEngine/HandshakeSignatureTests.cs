using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using XmppScanCluster.ScanNode.SessionEngine;

namespace XmppScanCluster.ScanNode.Tests.SessionEngine;

/// <summary>The session proves the server holds the key of the chain it records: a CertificateVerify made with another
/// key, or over other content, does not verify (RFC 8446 §4.4.3).</summary>
public class HandshakeSignatureTests
{
    internal static readonly byte[] Content = HandshakeSignature.Tls13ServerContent(SHA256.HashData("transcript"u8));

    [Fact]
    public void RsaPss_verifiesWithTheLeafsKey_notWithAnother_notOverOtherContent()
    {
        using var key = RSA.Create(2048);
        using var other = RSA.Create(2048);
        var leaf = SelfSigned(new CertificateRequest("CN=leaf", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        var signature = key.SignData(Content, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);

        Assert.True(HandshakeSignature.Verify(0x0804, leaf, Content, signature, tls13: true));
        Assert.False(HandshakeSignature.Verify(0x0804, leaf, Content, other.SignData(Content, HashAlgorithmName.SHA256, RSASignaturePadding.Pss), tls13: true));
        Assert.False(HandshakeSignature.Verify(0x0804, leaf, HandshakeSignature.Tls13ServerContent(new byte[32]), signature, tls13: true));
    }

    [Fact]
    public void Ecdsa_verifiesTheDerSignature_andAnRsaSchemeWithAnEcKeyDoesNot()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leaf = SelfSigned(new CertificateRequest("CN=leaf", key, HashAlgorithmName.SHA256));
        var signature = key.SignData(Content, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

        Assert.True(HandshakeSignature.Verify(0x0403, leaf, Content, signature, tls13: true));
        Assert.False(HandshakeSignature.Verify(0x0804, leaf, Content, signature, tls13: true));
    }

    [Fact]
    public void Pkcs1InTls13_isAProtocolError_notASignatureCheck()
    {
        using var key = RSA.Create(2048);
        var leaf = SelfSigned(new CertificateRequest("CN=leaf", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        var signature = key.SignData(Content, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        Assert.True(HandshakeSignature.Verify(0x0401, leaf, Content, signature, tls13: false)); // TLS 1.2 ServerKeyExchange
        Assert.Throws<EngineHandshakeException>(() => HandshakeSignature.Verify(0x0401, leaf, Content, signature, tls13: true));
    }

    internal static byte[] SelfSigned(CertificateRequest request)
    {
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return cert.RawData;
    }
}
