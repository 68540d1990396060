using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.X509;
using XmppScanCluster.ScanNode.Tests.Certificates;

namespace XmppScanCluster.ScanNode.Tests.Scanning;

/// <summary>
/// A test PKI written to a temp dir as PEM for <c>openssl s_server</c>: root → intermediate → an RSA leaf and an
/// ECDSA P-256 leaf for the same name, each with a chain file holding the intermediate.
/// </summary>
internal sealed class PkiFiles : IDisposable
{
    public PkiFiles(string name = "xmpp.example.org")
    {
        Pki = new TestPki(name);
        EcLeaf = TestCertificates.Make($"CN={name}", TestCertificates.EcP256, Pki.IntermediateIssuer, sans: [TestCertificates.DnsSan(name)]);
        Directory = System.IO.Directory.CreateTempSubdirectory("xsc-pki-").FullName;
        File.WriteAllText(RsaCert, Pem(Pki.Leaf));
        File.WriteAllText(RsaKey, KeyPem(Pki.LeafKey));
        File.WriteAllText(EcCert, Pem(EcLeaf));
        File.WriteAllText(EcKey, KeyPem(TestCertificates.EcP256));
        File.WriteAllText(ChainFile, Pem(Pki.Intermediate));
    }

    public TestPki Pki { get; }

    public X509Certificate EcLeaf { get; }

    public string Directory { get; }

    public string RsaCert => Path.Combine(Directory, "rsa.pem");

    public string RsaKey => Path.Combine(Directory, "rsa.key");

    public string EcCert => Path.Combine(Directory, "ec.pem");

    public string EcKey => Path.Combine(Directory, "ec.key");

    public string ChainFile => Path.Combine(Directory, "chain.pem");

    /// <summary>Writes <paramref name="der"/> to a file in the directory and returns its path.</summary>
    public string WriteFile(string name, byte[] der)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllBytes(path, der);
        return path;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, true);
        }
        catch (IOException)
        {
        }
    }

    private static string Pem(X509Certificate cert) =>
        $"-----BEGIN CERTIFICATE-----\n{Convert.ToBase64String(cert.GetEncoded(), Base64FormattingOptions.InsertLineBreaks)}\n-----END CERTIFICATE-----\n";

    private static string KeyPem(AsymmetricCipherKeyPair key) =>
        $"-----BEGIN PRIVATE KEY-----\n{Convert.ToBase64String(PrivateKeyInfoFactory.CreatePrivateKeyInfo(key.Private).GetEncoded(), Base64FormattingOptions.InsertLineBreaks)}\n-----END PRIVATE KEY-----\n";
}
