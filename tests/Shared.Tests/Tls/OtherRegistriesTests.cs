using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.Shared.Tests.Tls;

public class OtherRegistriesTests
{
    [Fact]
    public void NamedGroups_spotChecks_andNoDuplicates()
    {
        Assert.Equal(NamedGroups.All.Count, NamedGroups.All.Select(g => g.Code).Distinct().Count());
        Assert.True(NamedGroups.TryGet(0x11EC, out var hybrid));
        Assert.Equal("X25519MLKEM768", hybrid.Name);
        Assert.Equal(NamedGroupKind.Hybrid, hybrid.Kind);
        Assert.Equal("secp256r1", NamedGroups.NameOf(23));
        Assert.Equal(2048, NamedGroups.All.Single(g => g.Code == 0x0100).Bits);
        Assert.True(NamedGroups.All.Single(g => g.Code == 1).IsObsolete);
    }

    [Fact]
    public void SignatureSchemes_spotChecks()
    {
        Assert.Equal(SignatureSchemes.All.Count, SignatureSchemes.All.Select(g => g.Code).Distinct().Count());
        Assert.Equal("rsa_pss_rsae_sha256", SignatureSchemes.NameOf(0x0804));
        Assert.Equal("ed25519", SignatureSchemes.NameOf(0x0807));
        Assert.True(SignatureSchemes.All.Single(s => s.Code == 0x0201).IsLegacy);
    }

    [Fact]
    public void Ssl2CipherSpecs_exportAndKeyBits()
    {
        Assert.Equal(8, Ssl2CipherSpecs.All.Count);
        Assert.True(Ssl2CipherSpecs.TryGet(0x020080, out var exp));
        Assert.True(exp.IsExport);
        Assert.Equal(40, exp.KeyBits);
        Assert.True(Ssl2CipherSpecs.TryGet(0x0700C0, out var des3));
        Assert.Equal(112, des3.KeyBits);
    }

    [Fact]
    public void VersionNames()
    {
        Assert.Equal("TLSv1.2", TlsVersion.Tls12.Name());
        Assert.Equal("SSLv2", TlsVersion.Ssl2.Name());
        Assert.Equal("0x7F1C", ((TlsVersion)0x7F1C).Name());
    }
}
