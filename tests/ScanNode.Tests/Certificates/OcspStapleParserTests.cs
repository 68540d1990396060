using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Ocsp;
using XmppScanCluster.ScanNode.Certificates;
using XmppScanCluster.Shared.Certificates;

namespace XmppScanCluster.ScanNode.Tests.Certificates;

/// <summary>Stapled OCSP responses generated in-test: each status, freshness, the wrong certificate, hostile bytes.</summary>
public class OcspStapleParserTests
{
    private static readonly TestPki Pki = new("xmpp.example.org");
    private static readonly DateTimeOffset Now = TestCertificates.Now;

    private static OcspStapleFacts Analyze(byte[] response, bool issuerKnown = true) =>
        OcspStapleParser.Analyze(response, Pki.Leaf.GetEncoded(), issuerKnown ? Pki.Intermediate.GetEncoded() : null, Now);

    private static byte[] Response(CertificateStatus? status, DateTimeOffset? thisUpdate = null, DateTimeOffset? nextUpdate = null,
        BigInteger? serial = null) =>
        OcspResponses.Make(Pki.Intermediate, Pki.IntermediateKey, Pki.Leaf, status, thisUpdate ?? Now.AddHours(-2),
            nextUpdate ?? Now.AddDays(3), serial);

    [Fact]
    public void GoodAndFresh_isGood_forTheLeaf_withAVerifiedSignature()
    {
        var facts = Analyze(Response(CertificateStatus.Good));

        Assert.Equal(OcspStapleStatus.Good, facts.Status);
        Assert.Equal(OcspCertStatus.Good, facts.CertStatus);
        Assert.Equal("successful", facts.ResponseStatus);
        Assert.True(facts.ForLeaf);
        Assert.True(facts.SignatureValid);
        Assert.Equal(Now.AddHours(-2), facts.ThisUpdate);
        Assert.Equal(Now.AddDays(3), facts.NextUpdate);
        Assert.Equal([Pki.Leaf.SerialNumber.ToString(16)], facts.Serials!);
        Assert.NotNull(facts.Der);
    }

    [Fact]
    public void Revoked_isRevoked_withTimeAndReason()
    {
        var facts = Analyze(Response(new RevokedStatus(Now.AddDays(-1).UtcDateTime, CrlReason.KeyCompromise)));

        Assert.Equal(OcspStapleStatus.Revoked, facts.Status);
        Assert.Equal(OcspCertStatus.Revoked, facts.CertStatus);
        Assert.Equal(Now.AddDays(-1), facts.RevokedAt);
        Assert.Equal("keyCompromise", facts.RevocationReason);
        Assert.Contains("revoked at", facts.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RevokedAndStale_isStillRevoked()
    {
        var facts = Analyze(Response(new RevokedStatus(Now.AddDays(-20).UtcDateTime, CrlReason.Superseded), Now.AddDays(-10), Now.AddDays(-3)));
        Assert.Equal(OcspStapleStatus.Revoked, facts.Status);
    }

    [Fact]
    public void UnknownStatus_isUnknown()
    {
        var facts = Analyze(Response(new UnknownStatus()));
        Assert.Equal(OcspStapleStatus.Unknown, facts.Status);
        Assert.Equal(OcspCertStatus.Unknown, facts.CertStatus);
    }

    [Fact]
    public void NextUpdateInThePast_isExpired()
    {
        var facts = Analyze(Response(CertificateStatus.Good, Now.AddDays(-8), Now.AddDays(-1)));

        Assert.Equal(OcspStapleStatus.Expired, facts.Status);
        Assert.Equal(OcspCertStatus.Good, facts.CertStatus);
        Assert.Contains("nextUpdate", facts.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ThisUpdateInTheFuture_isNotYetValid()
    {
        var facts = Analyze(Response(CertificateStatus.Good, Now.AddDays(1), Now.AddDays(8)));
        Assert.Equal(OcspStapleStatus.NotYetValid, facts.Status);
    }

    [Fact]
    public void NoNextUpdate_isGood_andSaysSo()
    {
        var response = OcspResponses.Make(Pki.Intermediate, Pki.IntermediateKey, Pki.Leaf, CertificateStatus.Good, Now.AddHours(-1), null);
        var facts = OcspStapleParser.Analyze(response, Pki.Leaf.GetEncoded(), Pki.Intermediate.GetEncoded(), DateTimeOffset.UtcNow.AddMinutes(5));

        Assert.Equal(OcspStapleStatus.Good, facts.Status);
        Assert.Null(facts.NextUpdate);
        Assert.Contains("no nextUpdate", facts.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnotherSerial_isWrongCertificate_andNamesTheSerial()
    {
        var facts = Analyze(Response(CertificateStatus.Good, serial: BigInteger.ValueOf(0x7777)));

        Assert.Equal(OcspStapleStatus.WrongCertificate, facts.Status);
        Assert.False(facts.ForLeaf);
        Assert.Equal(["7777"], facts.Serials!);
    }

    [Fact]
    public void SameSerialUnderAnotherIssuer_isWrongCertificate()
    {
        var otherKey = TestCertificates.Rsa(5);
        var other = TestCertificates.Make(Pki.Intermediate.SubjectDN.ToString(), otherKey, (Pki.Root, Pki.RootKey), ca: true);
        var response = OcspResponses.Make(other, otherKey, Pki.Leaf, CertificateStatus.Good, Now.AddHours(-1), Now.AddDays(1));
        var facts = Analyze(response);

        // The other intermediate has the same DN here, so only the key hash tells them apart (issuer known).
        Assert.Equal(OcspStapleStatus.WrongCertificate, facts.Status);
    }

    [Fact]
    public void Sha256CertId_isMatchedToo()
    {
        var response = OcspResponses.Make(Pki.Intermediate, Pki.IntermediateKey, Pki.Leaf, CertificateStatus.Good, Now.AddHours(-1),
            Now.AddDays(1), hash: "2.16.840.1.101.3.4.2.1");
        Assert.Equal(OcspStapleStatus.Good, Analyze(response).Status);
    }

    [Fact]
    public void SignedByAStranger_isGood_butSignatureInvalid()
    {
        var response = OcspResponses.Make(Pki.Intermediate, TestCertificates.Rsa(4), Pki.Leaf, CertificateStatus.Good, Now.AddHours(-1), Now.AddDays(1));
        var facts = Analyze(response);

        Assert.Equal(OcspStapleStatus.Good, facts.Status);
        Assert.False(facts.SignatureValid);
        Assert.Contains("signature does not verify", facts.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DelegatedResponder_signedByTheIssuer_verifies()
    {
        var responderKey = TestCertificates.Rsa(3);
        var responder = DelegatedResponder(responderKey);
        var response = OcspResponses.Make(Pki.Intermediate, responderKey, Pki.Leaf, CertificateStatus.Good, Now.AddHours(-1), Now.AddDays(1),
            responderChain: [responder]);

        Assert.True(Analyze(response).SignatureValid);
    }

    [Fact]
    public void IssuerUnknown_matchesBySerialAndNameHash_signatureNotJudged()
    {
        var facts = Analyze(Response(CertificateStatus.Good), issuerKnown: false);

        Assert.Equal(OcspStapleStatus.Good, facts.Status);
        Assert.True(facts.ForLeaf);
        Assert.Null(facts.SignatureValid);
    }

    [Theory]
    [InlineData(OcspRespStatus.TryLater, "tryLater")]
    [InlineData(OcspRespStatus.InternalError, "internalError")]
    [InlineData(OcspRespStatus.Unauthorized, "unauthorized")]
    public void UnsuccessfulResponseStatus_isResponderError(int status, string name)
    {
        var facts = Analyze(OcspResponses.Error(status));

        Assert.Equal(OcspStapleStatus.ResponderError, facts.Status);
        Assert.Equal(name, facts.ResponseStatus);
    }

    [Theory]
    [InlineData("")]
    [InlineData("00")]
    [InlineData("3000")]
    [InlineData("3003 0a0100")]
    [InlineData("3080 0a0100 0000")]
    [InlineData("0401ff")]
    [InlineData("30 84 7fffffff")]
    [InlineData("3005 0a0100 a000")]
    public void GarbageBytes_areUnparseable_neverThrow(string hex)
    {
        var facts = Analyze(Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal)));
        Assert.Equal(OcspStapleStatus.Unparseable, facts.Status);
    }

    [Fact]
    public void DeeplyNestedSequences_areRefusedBeforeBouncyCastle()
    {
        // 20 000 nested SEQUENCE headers: enough to overflow a recursive ASN.1 parser's stack.
        const int depth = 20_000;
        var bytes = new List<byte>();
        for (var i = 0; i < depth; i++)
        {
            var remaining = (depth - i - 1) * 4;
            bytes.AddRange([0x30, 0x82, (byte)(remaining >> 8), (byte)remaining]);
        }

        var facts = Analyze(bytes.Take(64 * 1024).ToArray());
        Assert.Equal(OcspStapleStatus.Unparseable, facts.Status);
    }

    [Fact]
    public void TruncatedAndMutatedResponses_alwaysClassified()
    {
        var good = Response(CertificateStatus.Good);
        var random = new Random(1234);
        for (var length = 0; length < good.Length; length += 7)
        {
            Assert.NotEqual(OcspStapleStatus.Good, Analyze(good[..length]).Status);
        }

        for (var i = 0; i < 500; i++)
        {
            var mutated = (byte[])good.Clone();
            mutated[random.Next(mutated.Length)] ^= (byte)(1 << random.Next(8));
            var facts = Analyze(mutated);
            Assert.True(Enum.IsDefined(facts.Status));
        }
    }

    [Fact]
    public void OversizedResponse_isUnparseable_withoutKeepingTheBytes()
    {
        var facts = Analyze(new byte[OcspStapleParser.MaxResponseBytes + 1]);
        Assert.Equal(OcspStapleStatus.Unparseable, facts.Status);
        Assert.Null(facts.Der);
    }

    private static Org.BouncyCastle.X509.X509Certificate DelegatedResponder(Org.BouncyCastle.Crypto.AsymmetricCipherKeyPair key)
    {
        var gen = new Org.BouncyCastle.X509.X509V3CertificateGenerator();
        gen.SetSerialNumber(BigInteger.ValueOf(424242));
        gen.SetSubjectDN(new X509Name("CN=Test OCSP Responder"));
        gen.SetIssuerDN(Pki.Intermediate.SubjectDN);
        gen.SetNotBefore(Now.AddDays(-1).UtcDateTime);
        gen.SetNotAfter(Now.AddDays(30).UtcDateTime);
        gen.SetPublicKey(key.Public);
        gen.AddExtension(X509Extensions.ExtendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeID.id_kp_OCSPSigning));
        return gen.Generate(new Org.BouncyCastle.Crypto.Operators.Asn1SignatureFactory("SHA256WITHRSA", Pki.IntermediateKey.Private));
    }
}
