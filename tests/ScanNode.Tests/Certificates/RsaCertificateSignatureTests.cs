using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Security;
using XmppScanCluster.ScanNode.Certificates;
using static XmppScanCluster.ScanNode.Tests.Certificates.TestCertificates;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace XmppScanCluster.ScanNode.Tests.Certificates;

/// <summary>OpenSSL checks a certificate's PKCS#1 RSA signature and only ever says yes: what it verifies BouncyCastle
/// verifies too, and everything else — another issuer, a changed signature, ECDSA, RSA-PSS, an outer algorithm that is
/// not the signed one — is left to BouncyCastle, whose verdict <see cref="ParsedCertificate.IsSignedBy"/> keeps.</summary>
public class RsaCertificateSignatureTests
{
    [Theory]
    [InlineData("SHA1WITHRSA")]
    [InlineData("SHA256WITHRSA")]
    [InlineData("SHA384WITHRSA")]
    [InlineData("SHA512WITHRSA")]
    public void Pkcs1_verifiedByOpenSsl_asByBouncyCastle_notWithAnotherIssuer(string algorithm)
    {
        var pki = new TestPki();
        var leaf = Make("CN=rsa." + algorithm, Rsa(3), pki.IntermediateIssuer, signatureAlgorithm: algorithm);
        var (parsed, intermediate, root) = (Parse(leaf), Parse(pki.Intermediate), Parse(pki.Root));

        Assert.True(RsaCertificateSignature.Verified(parsed, intermediate));
        Assert.True(ParsedCertificate.VerifyWith(parsed.Bc, intermediate.Bc));
        Assert.False(RsaCertificateSignature.Verified(parsed, root));
        Assert.False(parsed.IsSignedBy(root));
    }

    [Fact]
    public void ChangedSignature_notVerified_andBouncyCastleRefusesIt()
    {
        var pki = new TestPki();
        var der = Make("CN=changed.example.org", Rsa(3), pki.IntermediateIssuer).GetEncoded();
        der[^1] ^= 1; // the last byte of the signature value
        var parsed = Parse(der);

        Assert.False(RsaCertificateSignature.Verified(parsed, Parse(pki.Intermediate)));
        Assert.False(parsed.IsSignedBy(Parse(pki.Intermediate)));
    }

    [Theory]
    [InlineData("SHA256WITHECDSA")]
    [InlineData("SHA256WITHRSAANDMGF1")]
    public void EcdsaAndPss_leftToBouncyCastle_whichVerifiesThem(string algorithm)
    {
        var issuerKey = algorithm.Contains("ECDSA", StringComparison.Ordinal) ? EcP256 : Rsa(4);
        var issuer = Make("CN=Issuer " + algorithm, issuerKey, ca: true);
        var leaf = Parse(Make("CN=leaf." + algorithm, Rsa(3), (issuer, issuerKey), signatureAlgorithm: algorithm));

        Assert.False(RsaCertificateSignature.Verified(leaf, Parse(issuer)));
        Assert.True(leaf.IsSignedBy(Parse(issuer)));
    }

    /// <summary>The signed part names SHA-1 with RSA, the outside SHA-256 with RSA, and the signature is SHA-256 over the
    /// signed part: the signature itself verifies, but the certificate contradicts itself (RFC 5280 §4.1.1.2).</summary>
    [Fact]
    public void OuterAlgorithmNotTheSignedOne_notVerified_andBouncyCastleRefusesIt()
    {
        var pki = new TestPki();
        var tbs = Make("CN=mixed.example.org", Rsa(3), pki.IntermediateIssuer, signatureAlgorithm: "SHA1WITHRSA")
            .CertificateStructure.TbsCertificate;
        var signer = SignerUtilities.GetSigner("SHA256WITHRSA");
        signer.Init(true, pki.IntermediateKey.Private);
        var signed = tbs.GetDerEncoded();
        signer.BlockUpdate(signed, 0, signed.Length);
        var outer = new AlgorithmIdentifier(PkcsObjectIdentifiers.Sha256WithRsaEncryption, DerNull.Instance);
        var parsed = Parse(new X509CertificateStructure(tbs, outer, new DerBitString(signer.GenerateSignature())).GetDerEncoded());

        Assert.False(RsaCertificateSignature.Verified(parsed, Parse(pki.Intermediate)));
        Assert.False(parsed.IsSignedBy(Parse(pki.Intermediate)));
    }

    private static ParsedCertificate Parse(BcCertificate certificate) => Parse(certificate.GetEncoded());

    private static ParsedCertificate Parse(byte[] der)
    {
        Assert.True(CertificateParser.TryParseCertificate(der, out var parsed, out var problem), problem?.ToString());
        return parsed!;
    }
}
