using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using XmppScanCluster.ScanNode.Certificates;
using XmppScanCluster.ScanNode.SessionEngine;
using XmppScanCluster.ScanNode.Tests.SessionEngine;

namespace XmppScanCluster.ScanNode.Tests.Certificates;

/// <summary>A certificate seen before is not decoded again: the same DER gives the same parsed certificate and with it the
/// same key, another certificate its own, and the kept key still tells a good signature from a bad one, on many threads at once, as a freshly decoded key does.</summary>
public class CertificateKeyTests
{
    private static byte[] Content => HandshakeSignatureTests.Content;

    private static byte[] SelfSigned(CertificateRequest request) => HandshakeSignatureTests.SelfSigned(request);

    private static CertificateKey KeyOf(byte[] der)
    {
        Assert.True(CertificateParser.TryParseCertificate(der, out var parsed, out var error), error);
        return parsed!.Key;
    }

    [Fact]
    public void SameDer_sameKey_otherLeaf_itsOwn()
    {
        using var key = RSA.Create(2048);
        var leaf = SelfSigned(new CertificateRequest("CN=leaf", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        var other = SelfSigned(new CertificateRequest("CN=other", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        Assert.Same(KeyOf(leaf), KeyOf(leaf.ToArray()));
        Assert.NotSame(KeyOf(leaf), KeyOf(other));
    }

    [Fact]
    public void KeptKey_onManyThreads_verifiesTheGoodSignatures_andRefusesTheBadOnes()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leaf = SelfSigned(new CertificateRequest("CN=leaf", key, HashAlgorithmName.SHA256));
        var good = key.SignData(Content, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var bad = stranger.SignData(Content, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

        var results = new bool[400];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            results[i] = HandshakeSignature.Verify(0x0403, leaf, Content, i % 2 == 0 ? good : bad, tls13: true));

        Assert.All(results.Where((_, i) => i % 2 == 0), Assert.True);
        Assert.All(results.Where((_, i) => i % 2 == 1), Assert.False);
        Assert.False(KeyOf(leaf).VerifyRsa(Content, good, HashAlgorithmName.SHA256, RSASignaturePadding.Pss)); // not an RSA leaf
    }
}
