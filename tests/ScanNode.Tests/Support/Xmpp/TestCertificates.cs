using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace XmppScanCluster.ScanNode.Tests.Support.Xmpp;

/// <summary>Certificates made in-test with CertificateRequest (ECDSA P-256: fast, no files).</summary>
internal static class TestCertificates
{
    /// <summary>A self-signed server certificate with the private key.</summary>
    public static X509Certificate2 SelfSigned(string dnsName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = ServerRequest(dnsName, key);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    /// <summary>root → intermediate → leaf; the leaf has its private key.</summary>
    public static (X509Certificate2 Root, X509Certificate2 Intermediate, X509Certificate2 Leaf) Chain(string dnsName)
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = DateTimeOffset.UtcNow;

        var rootRequest = CaRequest("CN=XmppScan Test Root", rootKey);
        var root = rootRequest.CreateSelfSigned(now.AddDays(-2), now.AddDays(60));

        var intermediateRequest = CaRequest("CN=XmppScan Test Intermediate", intermediateKey);
        using var intermediatePublic = intermediateRequest.Create(root, now.AddDays(-1), now.AddDays(50), Serial(2));
        var intermediate = intermediatePublic.CopyWithPrivateKey(intermediateKey);

        var leafRequest = ServerRequest(dnsName, leafKey);
        using var leafPublic = leafRequest.Create(intermediate, now.AddDays(-1), now.AddDays(30), Serial(3));
        var leaf = leafPublic.CopyWithPrivateKey(leafKey);
        return (root, X509CertificateLoader.LoadCertificate(intermediate.RawData), leaf);
    }

    private static CertificateRequest ServerRequest(string dnsName, ECDsa key)
    {
        var request = new CertificateRequest("CN=" + dnsName, key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(dnsName);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        return request;
    }

    private static CertificateRequest CaRequest(string subject, ECDsa key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }

    private static byte[] Serial(byte n) => [0x01, 0x23, n];
}
