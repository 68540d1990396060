using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.X509;
using XmppScanCluster.ScanNode.Certificates;
using XmppScanCluster.Shared.Certificates;
using static XmppScanCluster.ScanNode.Tests.Certificates.TestCertificates;

namespace XmppScanCluster.ScanNode.Tests.Certificates;

public class CertificateParserTests
{
    private static CertificateFacts Parse(byte[] der)
    {
        Assert.True(CertificateParser.TryParse(der, out var facts, out var error), error);
        Assert.Null(error);
        return facts!;
    }

    [Fact]
    public void RsaLeaf_factsAreComplete()
    {
        var pki = new TestPki("xmpp.example.org", [DnsSan("xmpp.example.org"), Ip("192.0.2.1"), SrvId("_xmpp-client.example.org"), XmppAddr("example.org")]);
        var der = pki.Leaf.GetEncoded();

        var f = Parse(der);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(der)), f.Sha256);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(pki.Leaf.CertificateStructure.SubjectPublicKeyInfo.GetDerEncoded())), f.SpkiSha256);
        Assert.Equal("CN=xmpp.example.org", f.Subject);
        Assert.Equal("CN=Test Intermediate CA,O=Test", f.Issuer);
        Assert.Equal("xmpp.example.org", f.CommonName);
        Assert.Equal(KeyAlgorithm.Rsa, f.KeyAlgorithm);
        Assert.Equal(2048, f.KeyBits);
        Assert.Equal("65537", f.RsaExponent);
        Assert.Null(f.Curve);
        Assert.Equal("sha256WithRSAEncryption", f.SignatureAlgorithm);
        Assert.Equal("sha256", f.SignatureHash);
        Assert.False(f.IsCa);
        Assert.False(f.IsSelfSigned);
        Assert.Equal(["serverAuth", "clientAuth"], f.ExtendedKeyUsage);
        Assert.Equal(
            [
                new SubjectAltName(SubjectAltNameType.DnsName, "xmpp.example.org"),
                new SubjectAltName(SubjectAltNameType.IpAddress, "192.0.2.1"),
                new SubjectAltName(SubjectAltNameType.SrvName, "_xmpp-client.example.org"),
                new SubjectAltName(SubjectAltNameType.XmppAddr, "example.org"),
            ],
            f.SubjectAltNames);
        Assert.Equal(pki.Leaf.NotAfter, f.NotAfter.UtcDateTime);
    }

    [Fact]
    public void EcP256SelfSignedCa_reportsCurveBitsAndSelfSigned()
    {
        var f = Parse(Make("CN=EC Root", EcP256, ca: true).GetEncoded());

        Assert.Equal(KeyAlgorithm.Ec, f.KeyAlgorithm);
        Assert.Equal(256, f.KeyBits);
        Assert.Equal("P-256", f.Curve);
        Assert.Equal("ecdsa-with-SHA256", f.SignatureAlgorithm);
        Assert.True(f.IsCa);
        Assert.True(f.IsSelfSigned);
        Assert.Equal(["keyCertSign", "cRLSign"], f.KeyUsage);
    }

    [Fact]
    public void Sha1Signature_reportsSha1Hash()
    {
        var f = Parse(Make("CN=old", Rsa(0), signatureAlgorithm: "SHA1WITHRSA").GetEncoded());

        Assert.Equal("sha1WithRSAEncryption", f.SignatureAlgorithm);
        Assert.Equal("sha1", f.SignatureHash);
    }

    [Fact]
    public void AiaCaIssuers_isRecorded()
    {
        var f = Parse(Make("CN=aia", Rsa(0), caIssuersUrl: "http://ca.example/ca.der").GetEncoded());

        Assert.Equal(["http://ca.example/ca.der"], f.CaIssuerUrls);
        Assert.Empty(f.OcspUrls);
    }

    [Fact]
    public void ControlCharactersInNames_areReplaced()
    {
        var f = Parse(Make("CN=evil\u0007name\u202e", Rsa(0), sans: [DnsSan("bad\nname.example")]).GetEncoded());

        Assert.DoesNotContain(f.Subject, char.IsControl);
        Assert.DoesNotContain('\u202e', f.CommonName!);
        Assert.DoesNotContain(f.SubjectAltNames[0].Value, char.IsControl);
    }

    [Fact]
    public void Empty_returnsFalseWithMessage()
    {
        Assert.False(CertificateParser.TryParse([], out var facts, out var error));
        Assert.Null(facts);
        Assert.StartsWith("empty", error);
    }

    [Fact]
    public void TruncatedAtEveryLength_returnsFalseNeverThrows()
    {
        var der = new TestPki().Leaf.GetEncoded();
        for (var length = 0; length < der.Length; length++)
        {
            Assert.False(CertificateParser.TryParse(der.AsSpan(0, length), out var facts, out var error), $"length {length}");
            Assert.Null(facts);
            Assert.False(string.IsNullOrEmpty(error));
        }
    }

    [Fact]
    public void TrailingBytes_returnsFalseWithTrailingData()
    {
        byte[] der = [.. new TestPki().Leaf.GetEncoded(), 0x00];

        Assert.False(CertificateParser.TryParse(der, out _, out var error));
        Assert.StartsWith("trailing data", error);
    }

    [Fact]
    public void RandomMutations_neverThrow()
    {
        var original = new TestPki("m.example.org", [DnsSan("m.example.org"), XmppAddr("m.example.org"), SrvId("_xmpp-server.m.example.org")]).Leaf.GetEncoded();
        var random = new Random(6120);
        var parsed = 0;
        for (var round = 0; round < 3000; round++)
        {
            var copy = (byte[])original.Clone();
            var flips = 1 + random.Next(4);
            for (var i = 0; i < flips; i++)
            {
                copy[random.Next(copy.Length)] = (byte)random.Next(256);
            }

            var ok = CertificateParser.TryParse(copy, out var facts, out var error);
            Assert.True(ok ? facts is not null && error is null : facts is null && !string.IsNullOrEmpty(error));
            parsed += ok ? 1 : 0;
        }

        Assert.InRange(parsed, 1, 2999); // Some mutations hit only the signature and still parse.
    }

    [Fact]
    public void HugeSanExtension_returnsFalseWithMessage()
    {
        var sans = Enumerable.Range(0, 1500).Select(i => DnsSan($"h{i}.example.org")).ToArray();
        var der = Make("CN=huge", Rsa(0), sans: sans).GetEncoded();

        Assert.False(CertificateParser.TryParse(der, out _, out var error));
        Assert.Contains("subjectAltName", error);
    }

    [Fact]
    public void OverlongSanValue_returnsFalseWithMessage()
    {
        var der = Make("CN=long", Rsa(0), sans: [DnsSan(new string('a', 5000) + ".example")]).GetEncoded();

        Assert.False(CertificateParser.TryParse(der, out _, out var error));
        Assert.Contains("subjectAltName entry", error);
    }

    [Fact]
    public void OverSizeLimit_returnsFalseTooLarge()
    {
        var big = new byte[CertificateParser.MaxCertificateBytes + 1];
        big[0] = 0x30;

        Assert.False(CertificateParser.TryParse(big, out _, out var error));
        Assert.StartsWith("too large", error);
    }

    [Theory]
    [InlineData(new byte[] { 0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF, 0x00 })] // 4 GiB declared
    [InlineData(new byte[] { 0x30, 0x89, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09 })] // 9-byte length field
    [InlineData(new byte[] { 0x30, 0x82, 0x01 })] // length field cut short
    [InlineData(new byte[] { 0x04, 0x02, 0x00, 0x00 })] // not a SEQUENCE
    [InlineData(new byte[] { 0x30, 0x00 })] // empty SEQUENCE
    [InlineData(new byte[] { 0x30, 0x80, 0x00, 0x00 })] // BER indefinite, empty
    [InlineData(new byte[] { 0x30, 0x06, 0x30, 0x84, 0x7F, 0xFF, 0xFF, 0xFF })] // inner garbage length
    public void GarbageLength_returnsFalseWithMessage(byte[] der)
    {
        Assert.False(CertificateParser.TryParse(der, out var facts, out var error));
        Assert.Null(facts);
        Assert.False(string.IsNullOrEmpty(error));
    }
}

public class CertificateParserOddInputTests
{
    [Fact]
    public void HostileSelfSignedRsaKey_parsesQuicklyAndIsNotSelfSigned()
    {
        var pki = new TestPki();
        var hostile = HostileRsaCertificate("CN=Test Root CA,O=Test", pki);

        Assert.True(CertificateParser.TryParse(hostile.GetEncoded(), out var facts, out var error), error);

        // Subject equals issuer, so only the key guard stops a self-signature check with a 16384-bit exponent (minutes
        // of CPU): the parse must have classified the key as unsafe to verify. Proven by the flag, not by a stopwatch.
        Assert.True(CertificateParser.TryParseCertificate(hostile.GetEncoded(), out var parsed, out _));
        Assert.False(parsed!.KeySafeToVerify);
        Assert.False(facts!.IsSelfSigned);
        Assert.Equal(16384, facts.KeyBits);
        Assert.StartsWith("0x", facts.RsaExponent);
    }

    [Fact]
    public void UriEmailAndUnknownOtherName_areTyped()
    {
        var sans = new Org.BouncyCastle.Asn1.X509.GeneralName[]
        {
            new(Org.BouncyCastle.Asn1.X509.GeneralName.UniformResourceIdentifier, "xmpp:example.org"),
            new(Org.BouncyCastle.Asn1.X509.GeneralName.Rfc822Name, "admin@example.org"),
            OtherName("1.2.3.4", new Org.BouncyCastle.Asn1.DerUtf8String("x")),
            SrvId("_xmpp-server.example.org"),
        };

        Assert.True(CertificateParser.TryParse(Make("CN=x", EcP256, sans: sans).GetEncoded(), out var facts, out _));

        Assert.Equal(
            [SubjectAltNameType.Uri, SubjectAltNameType.Email, SubjectAltNameType.OtherName, SubjectAltNameType.SrvName],
            facts!.SubjectAltNames.Select(s => s.Type));
        Assert.StartsWith("1.2.3.4=", facts.SubjectAltNames[2].Value);
    }

    [Fact]
    public void DeeplyNestedDer_isMalformedNotAStackOverflow()
    {
        // 20 000 nested SEQUENCE headers, each with a 3-byte long-form length: 100 KB is over the size bound,
        // so nest inside the bound instead: 10 000 levels of 0x30 0x82 LL LL.
        const int levels = 10_000;
        var der = new byte[levels * 4];
        for (var i = 0; i < levels; i++)
        {
            var remaining = der.Length - (i + 1) * 4;
            der[i * 4] = 0x30;
            der[i * 4 + 1] = 0x82;
            der[i * 4 + 2] = (byte)(remaining >> 8);
            der[i * 4 + 3] = (byte)remaining;
        }

        Assert.False(CertificateParser.TryParse(der, out var facts, out var error));
        Assert.Null(facts);
        Assert.StartsWith("malformed", error, StringComparison.Ordinal);
    }
}
