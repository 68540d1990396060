using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.Shared.Tests.Tls;

public class CipherSuiteRegistryTests
{
    [Fact]
    public void Registry_holdsEveryIanaSuite_andNoDuplicateCodesOrNames()
    {
        var all = CipherSuiteRegistry.All;
        Assert.Equal(all.Count, all.Select(s => s.Code).Distinct().Count());
        Assert.Equal(all.Count, all.Select(s => s.IanaName).Distinct().Count());
        Assert.Equal(352, all.Count(s => s.IsIana)); // 350 suites + 2 SCSVs
        Assert.Equal(2, all.Count(s => s.IsSignaling));
        Assert.Equal(12, all.Count(s => !s.IsIana));
        Assert.Equal(15, all.Count(s => s.Kind == SuiteKind.Tls13)); // 0x1301–07, SM4 x2, RFC 9150 x2, GOST MGM x4
        var openSslNames = all.Where(s => s.OpenSslName != null).Select(s => s.OpenSslName).ToList();
        Assert.Equal(openSslNames.Count, openSslNames.Distinct().Count());
    }

    [Fact]
    public void EcdheRsaAes128Gcm_hasIanaAndOpenSslNames_andModernFlags()
    {
        Assert.True(CipherSuiteRegistry.TryGet(0xC02F, out var s));
        Assert.Equal("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", s.IanaName);
        Assert.Equal("ECDHE-RSA-AES128-GCM-SHA256", s.OpenSslName);
        Assert.Equal(KeyExchange.Ecdhe, s.KeyExchange);
        Assert.Equal(Authentication.Rsa, s.Authentication);
        Assert.Equal(BulkCipher.AesGcm, s.Cipher);
        Assert.Equal(128, s.KeyBits);
        Assert.True(s.IsAead);
        Assert.True(s.ForwardSecrecy);
        Assert.True(s.IsRecommended);
        Assert.False(s.IsExport || s.IsNull || s.IsAnonymous || s.Is64BitBlock);
        Assert.Equal(TlsVersion.Tls12, s.MinVersion);
        Assert.False(s.IsDefinedFor(TlsVersion.Tls11));
    }

    [Fact]
    public void Tls13Aes128Gcm_isTls13Only()
    {
        Assert.True(CipherSuiteRegistry.TryGet(0x1301, out var s));
        Assert.Equal("TLS_AES_128_GCM_SHA256", s.IanaName);
        Assert.Equal(SuiteKind.Tls13, s.Kind);
        Assert.Equal(KeyExchange.Any, s.KeyExchange);
        Assert.True(s.IsDefinedFor(TlsVersion.Tls13));
        Assert.False(s.IsDefinedFor(TlsVersion.Tls12));
        Assert.True(s.ForwardSecrecy);
    }

    [Fact]
    public void Rc4Md5_isRc4_notExport_andExportRc4_is40Bits()
    {
        var rc4 = CipherSuiteRegistry.Find(0x0004)!;
        Assert.Equal("RC4-MD5", rc4.OpenSslName);
        Assert.True(rc4.IsRc4);
        Assert.False(rc4.IsExport);
        Assert.Equal(128, rc4.KeyBits);
        Assert.Equal(MacAlgorithm.Md5, rc4.Mac);

        var exp = CipherSuiteRegistry.Find(0x0003)!;
        Assert.Equal("TLS_RSA_EXPORT_WITH_RC4_40_MD5", exp.IanaName);
        Assert.Equal("EXP-RC4-MD5", exp.OpenSslName);
        Assert.True(exp.IsExport);
        Assert.Equal(40, exp.KeyBits);
        Assert.Equal(TlsVersion.Tls10, exp.MaxVersion);
        Assert.False(exp.ForwardSecrecy);
    }

    [Fact]
    public void TripleDes_is112Bits_and64BitBlock()
    {
        var s = CipherSuiteRegistry.Find(0x000A)!;
        Assert.Equal("DES-CBC3-SHA", s.OpenSslName);
        Assert.Equal(112, s.KeyBits);
        Assert.True(s.Is64BitBlock);
        Assert.Equal(CipherMode.Cbc, s.Mode);
        Assert.Equal(TlsVersion.Ssl3, s.MinVersion);
    }

    [Theory]
    [InlineData(0x0000, true, true)]  // TLS_NULL_WITH_NULL_NULL
    [InlineData(0x0018, true, false)] // TLS_DH_anon_WITH_RC4_128_MD5
    [InlineData(0xC015, true, true)]  // TLS_ECDH_anon_WITH_NULL_SHA
    [InlineData(0x0002, false, true)] // TLS_RSA_WITH_NULL_SHA
    [InlineData(0x002F, false, false)]
    public void AnonymousAndNullFlags(int code, bool anonymous, bool isNull)
    {
        var s = CipherSuiteRegistry.Find((ushort)code)!;
        Assert.Equal(anonymous, s.IsAnonymous);
        Assert.Equal(isNull, s.IsNull);
    }

    [Fact]
    public void Scsvs_areSignaling_notSuites()
    {
        Assert.True(CipherSuiteRegistry.Find(0x00FF)!.IsSignaling);
        Assert.True(CipherSuiteRegistry.Find(0x5600)!.IsSignaling);
        Assert.DoesNotContain(CipherSuiteRegistry.DefinedFor(TlsVersion.Tls12), s => s.IsSignaling);
    }

    [Fact]
    public void EveryAeadSuite_hasAeadMac_andEveryExportSuite_hasAtMost56Bits()
    {
        foreach (var s in CipherSuiteRegistry.All)
        {
            if (s.IsAead) Assert.Equal(MacAlgorithm.Aead, s.Mac);
            if (s.IsExport) Assert.InRange(s.KeyBits, 40, 56);
            Assert.True((ushort)s.MinVersion <= (ushort)s.MaxVersion, s.IanaName);
        }
    }

    [Fact]
    public void NameLookup_findsIanaAndOpenSslNames()
    {
        Assert.True(CipherSuiteRegistry.TryGetByName("ecdhe-rsa-aes256-gcm-sha384", out var a));
        Assert.Equal(0xC030, a.Code);
        Assert.True(CipherSuiteRegistry.TryGetByName("TLS_CHACHA20_POLY1305_SHA256", out var b));
        Assert.Equal(0x1303, b.Code);
        Assert.Equal("0xABCD", CipherSuiteRegistry.NameOf(0xABCD));
    }

    [Theory]
    [InlineData(0x0A0A, true)]
    [InlineData(0xFAFA, true)]
    [InlineData(0x0A1A, false)]
    [InlineData(0xC02F, false)]
    public void Grease(int code, bool expected) => Assert.Equal(expected, CipherSuiteRegistry.IsGrease((ushort)code));
}
