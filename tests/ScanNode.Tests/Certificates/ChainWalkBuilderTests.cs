using XmppScanCluster.ScanNode.Certificates;
using XmppScanCluster.Shared.Certificates;

namespace XmppScanCluster.ScanNode.Tests.Certificates;

/// <summary>The chain walk: sent certificates in wire order, then path certificates from the store.</summary>
public class ChainWalkBuilderTests
{
    private static readonly TestPki Pki = new();

    [Fact]
    public void LeafAndIntermediate_rootFromTheStore()
    {
        var walk = ChainWalkBuilder.Build(TestPki.Chain(Pki.Leaf, Pki.Intermediate), Pki.RootStore, TestCertificates.Now);

        Assert.Equal([ChainCertificateOrigin.Sent, ChainCertificateOrigin.Sent, ChainCertificateOrigin.InTrustStore],
            walk.Entries.Select(e => e.Origin));
        Assert.Equal([0, 1, null], walk.Entries.Select(e => e.SentIndex));
        Assert.Equal([0, 1, 2], walk.Entries.Select(e => e.PathDepth));
        Assert.Null(walk.Entries[0].Facts);
        Assert.Equal("CN=Test Root CA,O=Test", walk.Entries[2].Facts!.Subject);
        Assert.Equal(Pki.Intermediate.SerialNumber.ToString(16), walk.LeafIssuer!.Facts.SerialNumber);
    }

    [Fact]
    public void SentRoot_isSentAndInTrustStore_unrelatedIsNotOnPath()
    {
        var stranger = TestCertificates.Make("CN=Stranger", TestCertificates.Rsa(4), ca: true);
        var walk = ChainWalkBuilder.Build(TestPki.Chain(Pki.Leaf, stranger, Pki.Intermediate, Pki.Root), Pki.RootStore, TestCertificates.Now);

        Assert.Equal([ChainCertificateOrigin.Sent, ChainCertificateOrigin.SentNotOnPath, ChainCertificateOrigin.Sent, ChainCertificateOrigin.SentInTrustStore],
            walk.Entries.Select(e => e.Origin));
        Assert.Null(walk.Entries[1].PathDepth);
    }

    [Fact]
    public void IntermediateNotSent_butKnown_isMissing()
    {
        var store = TrustStore.FromDerCertificates([Pki.Root.GetEncoded(), Pki.Intermediate.GetEncoded()]);
        var walk = ChainWalkBuilder.Build(TestPki.Chain(Pki.Leaf), store, TestCertificates.Now);

        Assert.Equal([ChainCertificateOrigin.Sent, ChainCertificateOrigin.Missing, ChainCertificateOrigin.InTrustStore],
            walk.Entries.Select(e => e.Origin));
    }

    [Fact]
    public void UnparseableLeaf_isSentWithItsHash_andNoPath()
    {
        var walk = ChainWalkBuilder.Build([[0x30, 0x03, 0x02, 0x01, 0x01]], Pki.RootStore, TestCertificates.Now);

        var entry = Assert.Single(walk.Entries);
        Assert.Equal(ChainCertificateOrigin.SentNotOnPath, entry.Origin);
        Assert.Equal(64, entry.Sha256.Length);
        Assert.Null(walk.Leaf);
    }
}
