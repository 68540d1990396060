using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;

namespace XmppScanCluster.ScanNode.Tests.Certificates;

/// <summary>Builds certificates in-test with BouncyCastle. Keys are generated once per run (RSA is slow).</summary>
internal static class TestCertificates
{
    public static readonly DateTimeOffset Now = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    private static readonly SecureRandom Random = new();
    private static readonly Lazy<AsymmetricCipherKeyPair>[] RsaKeys = Enumerable.Range(0, 6).Select(_ => new Lazy<AsymmetricCipherKeyPair>(() => NewRsa(2048))).ToArray();
    private static readonly Lazy<AsymmetricCipherKeyPair> Rsa1024Key = new(() => NewRsa(1024));
    private static readonly Lazy<AsymmetricCipherKeyPair> EcKey = new(NewEc);
    private static long _serial = 1000;

    /// <summary>One of six cached RSA-2048 key pairs.</summary>
    public static AsymmetricCipherKeyPair Rsa(int which) => RsaKeys[which].Value;

    public static AsymmetricCipherKeyPair Rsa1024 => Rsa1024Key.Value;

    public static AsymmetricCipherKeyPair EcP256 => EcKey.Value;

    /// <summary>A certificate for <paramref name="subject"/> with <paramref name="key"/>, signed by <paramref name="issuer"/> (self-signed when null).</summary>
    public static X509Certificate Make(
        string subject,
        AsymmetricCipherKeyPair key,
        (X509Certificate Cert, AsymmetricCipherKeyPair Key)? issuer = null,
        bool ca = false,
        GeneralName[]? sans = null,
        DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null,
        string? signatureAlgorithm = null,
        string? caIssuersUrl = null,
        bool keyIds = true)
    {
        var gen = new X509V3CertificateGenerator();
        gen.SetSerialNumber(BigInteger.ValueOf(Interlocked.Increment(ref _serial)));
        gen.SetSubjectDN(new X509Name(subject));
        gen.SetIssuerDN(issuer is { } i ? i.Cert.SubjectDN : new X509Name(subject));
        gen.SetNotBefore((notBefore ?? Now.AddDays(-30)).UtcDateTime);
        gen.SetNotAfter((notAfter ?? Now.AddDays(60)).UtcDateTime);
        gen.SetPublicKey(key.Public);
        if (ca)
        {
            gen.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(true));
            gen.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.KeyCertSign | KeyUsage.CrlSign));
        }
        else
        {
            gen.AddExtension(X509Extensions.ExtendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeID.id_kp_serverAuth, KeyPurposeID.id_kp_clientAuth));
        }

        if (keyIds)
        {
            gen.AddExtension(X509Extensions.SubjectKeyIdentifier, false, X509ExtensionUtilities.CreateSubjectKeyIdentifier(key.Public));
            var issuerPublic = issuer is { } ip ? ip.Key.Public : key.Public;
            gen.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, X509ExtensionUtilities.CreateAuthorityKeyIdentifier(issuerPublic));
        }

        if (sans is { Length: > 0 })
        {
            gen.AddExtension(X509Extensions.SubjectAlternativeName, false, new GeneralNames(sans));
        }

        if (caIssuersUrl is not null)
        {
            var aia = new AuthorityInformationAccess(new AccessDescription(AccessDescription.IdADCAIssuers,
                new GeneralName(GeneralName.UniformResourceIdentifier, caIssuersUrl)));
            gen.AddExtension(X509Extensions.AuthorityInfoAccess, false, aia);
        }

        var signingKey = issuer is { } s ? s.Key.Private : key.Private;
        var algorithm = signatureAlgorithm ?? (signingKey is ECPrivateKeyParameters ? "SHA256WITHECDSA" : "SHA256WITHRSA");
        return gen.Generate(new Asn1SignatureFactory(algorithm, signingKey, Random));
    }

    public static GeneralName DnsSan(string name) => new(GeneralName.DnsName, name);

    public static GeneralName Ip(string address) => new(GeneralName.IPAddress, address);

    /// <summary>otherName SRV-ID (RFC 4985): IA5String inside [0] EXPLICIT.</summary>
    public static GeneralName SrvId(string value) => OtherName("1.3.6.1.5.5.7.8.7", new DerIA5String(value));

    /// <summary>otherName XmppAddr (RFC 6120 §13.7.1.4): UTF8String inside [0] EXPLICIT.</summary>
    public static GeneralName XmppAddr(string value) => OtherName("1.3.6.1.5.5.7.8.5", new DerUtf8String(value));

    public static GeneralName OtherName(string oid, Asn1Encodable value) =>
        new(GeneralName.OtherName, new DerSequence(new DerObjectIdentifier(oid), new DerTaggedObject(true, 0, value)));

    /// <summary>A CA certificate carrying an RSA key with a 16 kbit modulus and a 16 kbit exponent (signed by the root).</summary>
    public static Org.BouncyCastle.X509.X509Certificate HostileRsaCertificate(string subject, TestPki pki)
    {
        var random = new Random(7);
        var modulusBytes = new byte[2048];
        var exponentBytes = new byte[2048];
        random.NextBytes(modulusBytes);
        random.NextBytes(exponentBytes);
        modulusBytes[0] |= 0x80;
        modulusBytes[^1] |= 1;
        exponentBytes[^1] |= 1;
        var key = new Org.BouncyCastle.Crypto.Parameters.RsaKeyParameters(false,
            new Org.BouncyCastle.Math.BigInteger(1, modulusBytes), new Org.BouncyCastle.Math.BigInteger(1, exponentBytes));
        var pair = new Org.BouncyCastle.Crypto.AsymmetricCipherKeyPair(key, pki.RootKey.Private);
        return Make(subject, pair, (pki.Root, pki.RootKey), ca: true, keyIds: false);
    }

    private static AsymmetricCipherKeyPair NewRsa(int bits)
    {
        var g = new RsaKeyPairGenerator();
        g.Init(new RsaKeyGenerationParameters(BigInteger.ValueOf(65537), Random, bits, 80));
        return g.GenerateKeyPair();
    }

    private static AsymmetricCipherKeyPair NewEc()
    {
        var g = new ECKeyPairGenerator();
        g.Init(new ECKeyGenerationParameters(Org.BouncyCastle.Asn1.Sec.SecObjectIdentifiers.SecP256r1, Random));
        return g.GenerateKeyPair();
    }
}

/// <summary>A root → intermediate → leaf hierarchy for trust tests.</summary>
internal sealed class TestPki
{
    public TestPki(string leafName = "xmpp.example.org", GeneralName[]? leafSans = null)
    {
        RootKey = TestCertificates.Rsa(0);
        Root = TestCertificates.Make("CN=Test Root CA,O=Test", RootKey, ca: true);
        IntermediateKey = TestCertificates.Rsa(1);
        Intermediate = TestCertificates.Make("CN=Test Intermediate CA,O=Test", IntermediateKey, (Root, RootKey), ca: true);
        LeafKey = TestCertificates.Rsa(2);
        Leaf = TestCertificates.Make($"CN={leafName}", LeafKey, (Intermediate, IntermediateKey), sans: leafSans ?? [TestCertificates.DnsSan(leafName)]);
    }

    public AsymmetricCipherKeyPair RootKey { get; }

    public X509Certificate Root { get; }

    public AsymmetricCipherKeyPair IntermediateKey { get; }

    public X509Certificate Intermediate { get; }

    public AsymmetricCipherKeyPair LeafKey { get; }

    public X509Certificate Leaf { get; }

    public (X509Certificate, AsymmetricCipherKeyPair) IntermediateIssuer => (Intermediate, IntermediateKey);

    public XmppScanCluster.ScanNode.Certificates.TrustStore RootStore =>
        XmppScanCluster.ScanNode.Certificates.TrustStore.FromDerCertificates([Root.GetEncoded()]);

    public static byte[][] Chain(params X509Certificate[] certs) => certs.Select(c => c.GetEncoded()).ToArray();
}
