using System.Security.Cryptography;
using XmppScanCluster.ScanNode.Certificates;
using XmppScanCluster.Shared.Certificates;
using XmppScanCluster.Shared.Dns;
using static XmppScanCluster.ScanNode.Tests.Certificates.TestCertificates;

namespace XmppScanCluster.ScanNode.Tests.Certificates;

public class DaneMatcherTests
{
    private static readonly TestPki Pki = new();
    private static readonly byte[][] Chain = TestPki.Chain(Pki.Leaf, Pki.Intermediate);

    private static TlsaRecord Tlsa(byte usage, byte selector, byte matching, byte[] data) =>
        new("_5222._tcp.xmpp.example.org", usage, selector, matching, data, 3600);

    private static byte[] LeafSpki => Pki.Leaf.CertificateStructure.SubjectPublicKeyInfo.GetDerEncoded();

    private static DaneVerdict Match(params TlsaRecord[] records) =>
        DaneMatcher.Match(records, Chain, DnssecStatus.Secure, Pki.RootStore, Now);

    [Fact]
    public void DaneEeSpkiSha256OfLeaf_isMatch()
    {
        var v = Match(Tlsa(3, 1, 1, SHA256.HashData(LeafSpki)));

        Assert.Equal(DaneResult.Match, v.Result);
        Assert.StartsWith("3 1 1 ", Assert.Single(v.MatchedRecords));
    }

    [Fact]
    public void DaneEeSpkiSha256OfOtherKey_isMismatch()
    {
        var other = Make("CN=other", Rsa(3)).CertificateStructure.SubjectPublicKeyInfo.GetDerEncoded();

        var v = Match(Tlsa(3, 1, 1, SHA256.HashData(other)));

        Assert.Equal(DaneResult.Mismatch, v.Result);
        Assert.Empty(v.MatchedRecords);
    }

    [Fact]
    public void DaneEeOnExpiredSelfSignedLeaf_isMatchBecauseDatesAreIgnored()
    {
        var leaf = Make("CN=self", EcP256, notAfter: Now.AddDays(-100), notBefore: Now.AddDays(-400));
        var spki = leaf.CertificateStructure.SubjectPublicKeyInfo.GetDerEncoded();

        var v = DaneMatcher.Match([Tlsa(3, 1, 2, SHA512.HashData(spki))], TestPki.Chain(leaf), DnssecStatus.Secure, null, Now);

        Assert.Equal(DaneResult.Match, v.Result);
    }

    [Fact]
    public void DaneTaFullCertSha256OfIntermediate_isMatch()
    {
        var v = Match(Tlsa(2, 0, 1, SHA256.HashData(Pki.Intermediate.GetEncoded())));

        Assert.Equal(DaneResult.Match, v.Result);
    }

    [Fact]
    public void DaneTaOfUnrelatedCaSentInChain_isMismatch()
    {
        var unrelated = Make("CN=Unrelated CA", Rsa(3), ca: true);

        var v = DaneMatcher.Match([Tlsa(2, 0, 1, SHA256.HashData(unrelated.GetEncoded()))],
            TestPki.Chain(Pki.Leaf, Pki.Intermediate, unrelated), DnssecStatus.Secure, null, Now);

        Assert.Equal(DaneResult.Mismatch, v.Result);
    }

    [Fact]
    public void DaneEeFullCertExact_isMatch()
    {
        var v = Match(Tlsa(3, 0, 0, Pki.Leaf.GetEncoded()));

        Assert.Equal(DaneResult.Match, v.Result);
        Assert.EndsWith("…", v.MatchedRecords[0]);
    }

    [Fact]
    public void PkixEeWithTrustedChain_isMatch()
    {
        Assert.Equal(DaneResult.Match, Match(Tlsa(1, 1, 1, SHA256.HashData(LeafSpki))).Result);
    }

    [Fact]
    public void PkixEeWithUntrustedChain_isMismatch()
    {
        var v = DaneMatcher.Match([Tlsa(1, 1, 1, SHA256.HashData(LeafSpki))], Chain, DnssecStatus.Secure, TrustStore.Empty, Now);

        Assert.Equal(DaneResult.Mismatch, v.Result);
        Assert.Contains("not PKIX-trusted", v.Message);
    }

    [Fact]
    public void PkixTaOfRootAnchor_isMatch()
    {
        Assert.Equal(DaneResult.Match, Match(Tlsa(0, 0, 1, SHA256.HashData(Pki.Root.GetEncoded()))).Result);
    }

    [Fact]
    public void PkixUsageWithoutTrustStore_isUnusable()
    {
        var v = DaneMatcher.Match([Tlsa(1, 1, 1, SHA256.HashData(LeafSpki))], Chain, DnssecStatus.Secure, null, Now);

        Assert.Equal(DaneResult.UnusableRecords, v.Result);
        Assert.Contains("no trust store", v.Message);
    }

    [Theory]
    [InlineData(4, 1, 1, 32)] // unknown usage
    [InlineData(3, 2, 1, 32)] // unknown selector
    [InlineData(3, 1, 3, 32)] // unknown matching type
    [InlineData(3, 1, 1, 31)] // SHA-256 data of the wrong length
    [InlineData(3, 1, 2, 32)] // SHA-512 data of the wrong length
    [InlineData(3, 1, 0, 0)] // empty exact data
    public void UnknownParametersOrBadData_isUnusableRecords(byte usage, byte selector, byte matching, int length)
    {
        var v = Match(Tlsa(usage, selector, matching, new byte[length]));

        Assert.Equal(DaneResult.UnusableRecords, v.Result);
        Assert.Empty(v.MatchedRecords);
    }

    [Fact]
    public void UnusableNextToMatchingRecord_isMatchAndNamesTheUnusable()
    {
        var v = Match(Tlsa(7, 1, 1, new byte[32]), Tlsa(3, 1, 1, SHA256.HashData(LeafSpki)));

        Assert.Equal(DaneResult.Match, v.Result);
        Assert.Contains("unusable: 7 1 1", v.Message);
    }

    [Theory]
    [InlineData(DnssecStatus.Insecure)]
    [InlineData(DnssecStatus.Bogus)]
    [InlineData(DnssecStatus.Unknown)]
    public void MatchingRecordWithoutDnssec_isNotSecureSayingItWouldHaveMatched(DnssecStatus status)
    {
        var v = DaneMatcher.Match([Tlsa(3, 1, 1, SHA256.HashData(LeafSpki))], Chain, status, null, Now);

        Assert.Equal(DaneResult.NotSecure, v.Result);
        Assert.Contains("would have matched", v.Message);
    }

    [Fact]
    public void MismatchingRecordWithoutDnssec_isNotSecureSayingItWouldNotHaveMatched()
    {
        var v = DaneMatcher.Match([Tlsa(3, 1, 1, new byte[32])], Chain, DnssecStatus.Insecure, null, Now);

        Assert.Equal(DaneResult.NotSecure, v.Result);
        Assert.Contains("would not have matched", v.Message);
    }

    [Fact]
    public void NoRecords_isNoRecords()
    {
        Assert.Equal(DaneResult.NoRecords, Match().Result);
    }

    [Fact]
    public void GarbageChain_isMismatchNotException()
    {
        var v = DaneMatcher.Match([Tlsa(3, 1, 1, new byte[32])], [[0x30, 0x01]], DnssecStatus.Secure, TrustStore.Empty, Now);

        Assert.Equal(DaneResult.Mismatch, v.Result);
    }
}
