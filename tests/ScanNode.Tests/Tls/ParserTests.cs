using System.Security.Cryptography;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Tests.Tls;

public class ParserTests
{
    [Fact]
    public void Tls12ServerHello_readsSuiteAndEveryExtension()
    {
        var r = ServerHelloParser.Parse(Fixtures.Tls12ServerHelloBody);
        Assert.Equal(ParseStatus.Complete, r.Status);
        var sh = r.Value!;
        Assert.Equal(0x0303, sh.LegacyVersion);
        Assert.Equal(0x0303, sh.NegotiatedVersion);
        Assert.Equal(0xC02F, sh.CipherSuite);
        Assert.Equal("ECDHE-RSA-AES128-GCM-SHA256", sh.Suite!.OpenSslName);
        Assert.Equal([0xAA, 0xBB, 0xCC, 0xDD], sh.SessionId.ToArray());
        Assert.True(sh.RenegotiationInfo is { IsEmpty: true });
        Assert.True(sh.ExtendedMasterSecret);
        Assert.True(sh.StatusRequest);
        Assert.Equal((byte)1, sh.HeartbeatMode);
        Assert.Equal("xmpp-client", sh.AlpnProtocol);
        Assert.Equal([0], sh.EcPointFormats!.Value.ToArray());
        Assert.False(sh.IsHelloRetryRequest);
        Assert.Equal(DowngradeSentinel.None, sh.Downgrade);
        Assert.Equal(6, sh.Extensions.Length);
    }

    [Fact]
    public void Tls13ServerHello_readsSelectedVersionAndKeyShare()
    {
        var sh = ServerHelloParser.Parse(Fixtures.Tls13ServerHelloBody).Value!;
        Assert.Equal(0x0304, sh.NegotiatedVersion);
        Assert.Equal(NamedGroups.X25519, sh.KeyShareGroup);
        Assert.Equal(32, sh.KeyShareKey!.Value.Length);
        Assert.Equal(0x1302, sh.CipherSuite);
    }

    [Fact]
    public void HelloRetryRequest_isDetected_andSelectedGroupRead()
    {
        Assert.Equal(SHA256.HashData("HelloRetryRequest"u8), ServerHelloParser.HelloRetryRequestRandom.ToArray());
        var sh = ServerHelloParser.Parse(Fixtures.HelloRetryRequestBody).Value!;
        Assert.True(sh.IsHelloRetryRequest);
        Assert.Equal(NamedGroups.Secp256r1, sh.KeyShareGroup);
        Assert.Null(sh.KeyShareKey);
        Assert.Equal([0xC0, 0x0C], sh.Cookie!.Value.ToArray());
    }

    [Fact]
    public void DowngradeSentinel_isDetected_andMissingExtensionsBlockIsFine()
    {
        var sh = ServerHelloParser.Parse(Fixtures.DowngradeServerHelloBody).Value!;
        Assert.Equal(DowngradeSentinel.Tls12, sh.Downgrade);
        Assert.False(sh.HasExtensionsBlock);
        Assert.Empty(sh.Extensions);
    }

    [Fact]
    public void DuplicateExtension_returnsInvalid()
    {
        var body = Fixtures.Concat(Fixtures.Tls12ServerHelloBody[..40], [0x00, 0x08], [0x00, 0x17, 0x00, 0x00, 0x00, 0x17, 0x00, 0x00]);
        Assert.Equal(ParseStatus.Invalid, ServerHelloParser.Parse(body).Status);
    }

    [Fact]
    public void Certificate_readsTwoBlobs_leafFirst()
    {
        var c = HandshakeMessageParser.ParseCertificate(Fixtures.CertificateBody).Value!;
        Assert.Equal(2, c.Certificates.Length);
        Assert.Equal([0x30, 0x01, 0x00], c.Certificates[0].ToArray());
    }

    [Fact]
    public void EcdheServerKeyExchange_tls12_readsCurvePointAndScheme()
    {
        var suite = CipherSuiteRegistry.Find(0xC02F)!;
        var ske = ServerKeyExchangeParser.Parse(Fixtures.EcdheSkeBody, suite, 0x0303).Value!;
        Assert.Equal(ServerKeyExchangeKind.Ecdhe, ske.Kind);
        Assert.Equal(NamedGroups.Secp256r1, ske.NamedCurve);
        Assert.Equal(65, ske.EcPoint!.Value.Length);
        Assert.Equal((ushort)0x0804, ske.SignatureScheme);
        Assert.Equal(8, ske.Signature!.Value.Length);
    }

    [Fact]
    public void EcdheServerKeyExchange_readAsTls10_isInvalid_becauseLayoutDiffers()
    {
        var suite = CipherSuiteRegistry.Find(0xC013)!;
        Assert.Equal(ParseStatus.Invalid, ServerKeyExchangeParser.Parse(Fixtures.EcdheSkeBody, suite, 0x0301).Status);
    }

    [Fact]
    public void DheServerKeyExchange_tls10_hasNoSchemeField_andPrimeBitsIgnoreLeadingZero()
    {
        var suite = CipherSuiteRegistry.Find(0x0033)!; // DHE-RSA-AES128-SHA
        var ske = ServerKeyExchangeParser.Parse(Fixtures.DheTls10SkeBody, suite, 0x0301).Value!;
        Assert.Equal(ServerKeyExchangeKind.Dhe, ske.Kind);
        Assert.Null(ske.SignatureScheme);
        Assert.Equal(8, ske.ModulusBits);
        Assert.Equal([2], ske.DhG!.Value.ToArray());
    }

    [Fact]
    public void AnonymousDhServerKeyExchange_hasNoSignature()
    {
        var suite = CipherSuiteRegistry.Find(0x0034)!; // ADH-AES128-SHA
        var body = Fixtures.DheTls10SkeBody[..11];  // p, g, Ys only
        var ske = ServerKeyExchangeParser.Parse(body, suite, 0x0303).Value!;
        Assert.Null(ske.Signature);
    }

    [Fact]
    public void PskServerKeyExchange_readsHint()
    {
        var suite = CipherSuiteRegistry.Find(0x008C)!; // PSK-AES128-CBC-SHA
        var ske = ServerKeyExchangeParser.Parse([0x00, 0x02, (byte)'h', (byte)'i'], suite, 0x0303).Value!;
        Assert.Equal(ServerKeyExchangeKind.PskHint, ske.Kind);
        Assert.Equal(2, ske.PskIdentityHint!.Value.Length);
    }

    [Fact]
    public void CertificateStatus_readsOcspResponse()
    {
        var s = HandshakeMessageParser.ParseCertificateStatus(Fixtures.CertificateStatusBody).Value!;
        Assert.Equal(1, s.StatusType);
        Assert.Equal([0x30, 0x01, 0x0A], s.Responses[0].ToArray());
    }

    [Fact]
    public void ServerHelloDone_mustBeEmpty()
    {
        Assert.Equal(ParseStatus.Complete, HandshakeMessageParser.ParseServerHelloDone([]));
        Assert.Equal(ParseStatus.Invalid, HandshakeMessageParser.ParseServerHelloDone([0]));
    }

    [Fact]
    public void Alert_hasLevelAndRfcName()
    {
        var a = HandshakeMessageParser.ParseAlert([0x02, 0x28]).Value!;
        Assert.True(a.IsFatal);
        Assert.Equal("handshake_failure", a.DescriptionName);
        Assert.Equal("inappropriate_fallback", TlsAlert.NameOf(TlsAlertDescription.InappropriateFallback));
        Assert.Equal("unknown(199)", TlsAlert.NameOf((TlsAlertDescription)199));
        Assert.Equal(ParseStatus.Invalid, HandshakeMessageParser.ParseAlert([0x02]).Status);
    }

    [Fact]
    public void Ssl2ServerHello_readsCipherKindsAndCertificate()
    {
        var r = Ssl2ServerHelloParser.Parse(Fixtures.Ssl2ServerHello, 32767, out var consumed);
        Assert.Equal(ParseStatus.Complete, r.Status);
        Assert.Equal(Fixtures.Ssl2ServerHello.Length, consumed);
        var h = r.Value!;
        Assert.Equal(2, h.ServerVersion);
        Assert.Equal([0x010080, 0x020080], h.CipherSpecs.ToArray());
        Assert.Equal(4, h.Certificate.Length);
        Assert.Equal(16, h.ConnectionId.Length);
        Assert.True(Ssl2CipherSpecs.TryGet(h.CipherSpecs[1], out var exp) && exp.IsExport);
    }

    [Fact]
    public void Ssl2Parser_seesTlsAlert_asInvalid_andShortInput_asNeedMoreData()
    {
        Assert.Equal(ParseStatus.Invalid, Ssl2ServerHelloParser.Parse(Fixtures.AlertRecord, 32767, out _).Status);
        Assert.Equal(ParseStatus.NeedMoreData, Ssl2ServerHelloParser.Parse(Fixtures.Ssl2ServerHello[..10], 32767, out _).Status);
        Assert.Equal(ParseStatus.Complete,
            Ssl2ServerHelloParser.Parse([0x80, 0x03, 0x00, 0x00, 0x01], 32767, out _).Status); // MSG-ERROR NO-CIPHER
    }

    [Fact]
    public void RecordHeader_rejectsNonTlsBytes_andOversizedRecords()
    {
        Assert.Equal(ParseStatus.Invalid, TlsRecordParser.TryReadHeader("<stream:error>"u8, 18432, out _, out _));
        Assert.Equal(ParseStatus.Invalid, TlsRecordParser.TryReadHeader([0x16, 0x03, 0x03, 0x48, 0x01], 18432, out _, out var e));
        Assert.Contains("exceeds", e);
        Assert.Equal(ParseStatus.NeedMoreData, TlsRecordParser.TryReadHeader([0x16, 0x03], 18432, out _, out _));
    }
}
