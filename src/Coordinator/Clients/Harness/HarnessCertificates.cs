using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace XmppScanCluster.Coordinator.Clients.Harness;

/// <summary>
/// The harness PKI, generated fresh for every run: one CA the clients trust (it replaces their system store inside
/// the sandbox) and one they do not, and a leaf per <see cref="CertificateKind"/>. RSA-2048 throughout, so the only
/// thing wrong with a bad certificate is what its scenario names.
/// </summary>
public sealed class HarnessCertificates : IDisposable
{
    private const string XmppAddrOid = "1.3.6.1.5.5.7.8.5";   // id-on-xmppAddr, RFC 6120 §13.7.1.4
    private const string SrvNameOid = "1.3.6.1.5.5.7.8.7";    // id-on-dnsSRV, RFC 4985
    private readonly X509Certificate2 _unknownCa;

    private HarnessCertificates(X509Certificate2 trustedCa, X509Certificate2 unknownCa)
    {
        TrustedCa = trustedCa;
        _unknownCa = unknownCa;
    }

    /// <summary>The CA the clients trust; its PEM goes into the sandbox's trust store.</summary>
    public X509Certificate2 TrustedCa { get; }

    public static HarnessCertificates Create(DateTimeOffset now) =>
        new(CreateCa("xmppscan client harness CA", now), CreateCa("xmppscan unknown CA", now));

    /// <summary>The PEM of the trusted CA.</summary>
    public string TrustedCaPem => TrustedCa.ExportCertificatePem();

    /// <summary>Whether a careful client must reject this kind for the domain.</summary>
    public static bool IsBad(CertificateKind kind) =>
        kind is not (CertificateKind.Good or CertificateKind.SrvIdOnly or CertificateKind.XmppAddrOnly);

    /// <summary>A leaf of this kind for <paramref name="domain"/> (SRV target <c>xmpp.domain</c>), with its key, and the chain to send.</summary>
    public (X509Certificate2 Leaf, X509Certificate2[] Chain) Leaf(CertificateKind kind, string domain, DateTimeOffset now)
    {
        // Not disposed: the leaf keeps using this key for every handshake of the run.
        var key = RSA.Create(2048);
        var hash = kind == CertificateKind.Sha1Signed ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256;
        var cn = kind switch
        {
            CertificateKind.WrongName => "other.invalid",
            CertificateKind.SrvTargetName => "xmpp." + domain,
            CertificateKind.SrvIdOnly or CertificateKind.XmppAddrOnly => "harness leaf",
            _ => domain,
        };
        var request = new CertificateRequest("CN=" + cn, key, hash, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(SubjectAltName(kind, domain, cn));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));

        var (notBefore, notAfter) = kind == CertificateKind.Expired ? (now.AddDays(-60), now.AddDays(-30)) : (now.AddDays(-1), now.AddDays(30));
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7f;
        X509Certificate2 leaf;
        X509Certificate2[] chain;
        if (kind == CertificateKind.SelfSigned)
        {
            leaf = request.CreateSelfSigned(notBefore, notAfter);
            chain = [];
        }
        else
        {
            var issuer = kind == CertificateKind.UnknownCa ? _unknownCa : TrustedCa;
            using var signed = request.Create(issuer.SubjectName,
                kind == CertificateKind.Sha1Signed
                ? new Sha1RsaSignatureGenerator(issuer.GetRSAPrivateKey()!)
                : X509SignatureGenerator.CreateForRSA(issuer.GetRSAPrivateKey()!, RSASignaturePadding.Pkcs1), notBefore, notAfter, serial);
            leaf = signed.CopyWithPrivateKey(key);
            chain = kind == CertificateKind.UnknownCa ? [_unknownCa] : [];
        }

        return (leaf, chain);
    }

    private static X509Extension SubjectAltName(CertificateKind kind, string domain, string cn)
    {
        // GeneralName ::= CHOICE { otherName [0] OtherName, dNSName [2] IA5String, … }   (RFC 5280 §4.2.1.6)
        // OtherName ::= SEQUENCE { type-id OBJECT IDENTIFIER, value [0] EXPLICIT ANY }
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            switch (kind)
            {
                case CertificateKind.SrvIdOnly:
                    WriteOtherName(writer, SrvNameOid, "_xmpp-client." + domain, UniversalTagNumber.IA5String);
                    break;
                case CertificateKind.XmppAddrOnly:
                    WriteOtherName(writer, XmppAddrOid, domain, UniversalTagNumber.UTF8String);
                    break;
                default:
                    writer.WriteCharacterString(UniversalTagNumber.IA5String, cn, new Asn1Tag(TagClass.ContextSpecific, 2));
                    break;
            }
        }

        return new X509Extension("2.5.29.17", writer.Encode(), false);
    }

    private static void WriteOtherName(AsnWriter writer, string oid, string value, UniversalTagNumber type)
    {
        var otherName = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
        using (writer.PushSequence(otherName))
        {
            writer.WriteObjectIdentifier(oid);
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            {
                writer.WriteCharacterString(type, value);
            }
        }
    }

    private static X509Certificate2 CreateCa(string name, DateTimeOffset now)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(now.AddDays(-2), now.AddDays(365));
    }

    public void Dispose()
    {
        TrustedCa.Dispose();
        _unknownCa.Dispose();
    }
}
