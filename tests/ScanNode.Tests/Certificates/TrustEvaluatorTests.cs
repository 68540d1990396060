using XmppScanCluster.ScanNode.Certificates;
using XmppScanCluster.Shared.Certificates;
using static XmppScanCluster.ScanNode.Tests.Certificates.TestCertificates;

namespace XmppScanCluster.ScanNode.Tests.Certificates;

public class TrustEvaluatorTests
{
    private static readonly TestPki Pki = new();

    private static TrustVerdict Evaluate(TrustStore store, params Org.BouncyCastle.X509.X509Certificate[] chain) =>
        TrustEvaluator.Evaluate(TestPki.Chain(chain), store, Now);

    private static IEnumerable<TrustProblem> Problems(TrustVerdict v) => v.Issues.Select(i => i.Problem);

    [Fact]
    public void LeafAndIntermediateToRootAnchor_isTrustedWithoutIssues()
    {
        var v = Evaluate(Pki.RootStore, Pki.Leaf, Pki.Intermediate);

        Assert.True(v.Trusted);
        Assert.Empty(v.Issues);
        Assert.Equal(3, v.PathSha256.Count);
        Assert.Contains("Test Root CA", v.AnchorSubject);
    }

    [Fact]
    public void RootAlsoSent_isTrustedAndNotExtra()
    {
        var v = Evaluate(Pki.RootStore, Pki.Leaf, Pki.Intermediate, Pki.Root);

        Assert.True(v.Trusted);
        Assert.Empty(v.Issues);
    }

    [Fact]
    public void EmptyChain_isEmptyChain()
    {
        var v = TrustEvaluator.Evaluate([], Pki.RootStore, Now);

        Assert.False(v.Trusted);
        Assert.Equal([TrustProblem.EmptyChain], Problems(v));
    }

    [Fact]
    public void GarbageLeaf_isUnparseable()
    {
        var v = TrustEvaluator.Evaluate([[0x30, 0x03, 0x02, 0x01, 0x01]], Pki.RootStore, Now);

        Assert.False(v.Trusted);
        Assert.Equal([TrustProblem.Unparseable], Problems(v));
    }

    [Fact]
    public void ExpiredLeaf_isExpiredWithDateAndUntrusted()
    {
        var leaf = Make("CN=old.example.org", Rsa(3), Pki.IntermediateIssuer, notBefore: Now.AddDays(-400), notAfter: Now.AddDays(-10));

        var v = Evaluate(Pki.RootStore, leaf, Pki.Intermediate);

        Assert.False(v.Trusted);
        var issue = Assert.Single(v.Issues);
        Assert.Equal(TrustProblem.Expired, issue.Problem);
        Assert.Equal(0, issue.ChainIndex);
        Assert.Contains(Now.AddDays(-10).ToString("yyyy-MM-dd"), issue.Message);
    }

    [Fact]
    public void ExpiredIntermediate_isExpiredAtItsIndex()
    {
        var intermediate = Make("CN=Old Intermediate", Rsa(3), (Pki.Root, Pki.RootKey), ca: true, notAfter: Now.AddDays(-1));
        var leaf = Make("CN=a.example.org", Rsa(4), (intermediate, Rsa(3)));

        var v = Evaluate(Pki.RootStore, leaf, intermediate);

        Assert.False(v.Trusted);
        Assert.Equal(1, Assert.Single(v.Issues, i => i.Problem == TrustProblem.Expired).ChainIndex);
    }

    [Fact]
    public void FutureLeaf_isNotYetValid()
    {
        var leaf = Make("CN=new.example.org", Rsa(3), Pki.IntermediateIssuer, notBefore: Now.AddDays(5), notAfter: Now.AddDays(90));

        var v = Evaluate(Pki.RootStore, leaf, Pki.Intermediate);

        Assert.False(v.Trusted);
        Assert.Equal([TrustProblem.NotYetValid], Problems(v));
        Assert.Contains(Now.AddDays(5).ToString("yyyy-MM-dd"), v.Issues[0].Message);
    }

    [Fact]
    public void SelfSignedLeaf_isSelfSignedLeaf()
    {
        var leaf = Make("CN=self.example.org", Rsa(3));

        var v = Evaluate(Pki.RootStore, leaf);

        Assert.False(v.Trusted);
        Assert.Equal([TrustProblem.SelfSignedLeaf], Problems(v));
    }

    [Fact]
    public void SelfSignedLeafThatIsAnAnchor_isTrusted()
    {
        var leaf = Make("CN=pinned.example.org", Rsa(3));

        var v = Evaluate(TrustStore.FromDerCertificates([leaf.GetEncoded()]), leaf);

        Assert.True(v.Trusted);
        Assert.Empty(v.Issues);
    }

    [Fact]
    public void UnknownRootSentInChain_isSelfSignedRootInChainUnknown()
    {
        var v = Evaluate(TrustStore.Empty, Pki.Leaf, Pki.Intermediate, Pki.Root);

        Assert.False(v.Trusted);
        var issue = Assert.Single(v.Issues);
        Assert.Equal(TrustProblem.SelfSignedRootInChainUnknown, issue.Problem);
        Assert.Equal(2, issue.ChainIndex);
    }

    [Fact]
    public void MissingIntermediateKnownToStore_isIncompleteChain()
    {
        var store = TrustStore.FromDerCertificates([Pki.Root.GetEncoded(), Pki.Intermediate.GetEncoded()]);

        var v = Evaluate(store, Pki.Leaf);

        Assert.Equal([TrustProblem.IncompleteChain], Problems(v));
        Assert.Contains("Test Intermediate CA", v.Issues[0].Message);
        Assert.True(v.Trusted); // Completed from the store; grading weighs IncompleteChain.
        Assert.Equal(3, v.PathSha256.Count);
    }

    [Fact]
    public void UnknownCa_isUnknownIssuer()
    {
        var v = Evaluate(TrustStore.Empty, Pki.Leaf, Pki.Intermediate);

        Assert.False(v.Trusted);
        var issue = Assert.Single(v.Issues);
        Assert.Equal(TrustProblem.UnknownIssuer, issue.Problem);
        Assert.Contains("Test Root CA", issue.Message);
    }

    [Fact]
    public void LeafIssuerUnknownEntirely_isUnknownIssuer()
    {
        var v = Evaluate(Pki.RootStore, Pki.Leaf);

        Assert.False(v.Trusted);
        Assert.Equal([TrustProblem.UnknownIssuer], Problems(v));
    }

    [Fact]
    public void MissingIssuerWithAiaCaIssuers_isUnknownIssuerAndIncompleteChainNamingTheUrl()
    {
        var leaf = Make("CN=aia.example.org", Rsa(3), Pki.IntermediateIssuer, caIssuersUrl: "http://ca.example/int.der");

        var v = Evaluate(Pki.RootStore, leaf);

        Assert.False(v.Trusted);
        Assert.Equal([TrustProblem.UnknownIssuer, TrustProblem.IncompleteChain], Problems(v));
        Assert.Contains("http://ca.example/int.der", v.Issues[1].Message);
    }

    [Fact]
    public void IntermediatesSentInWrongOrder_isChainOutOfOrderButTrusted()
    {
        var upper = Make("CN=Upper CA", Rsa(3), (Pki.Root, Pki.RootKey), ca: true);
        var lower = Make("CN=Lower CA", Rsa(4), (upper, Rsa(3)), ca: true);
        var leaf = Make("CN=deep.example.org", Rsa(5), (lower, Rsa(4)));

        var v = Evaluate(Pki.RootStore, leaf, upper, lower);

        Assert.True(v.Trusted);
        Assert.Equal([TrustProblem.ChainOutOfOrder], Problems(v));
    }

    [Fact]
    public void UnrelatedCertificateSent_isExtraCertificatesButTrusted()
    {
        var unrelated = Make("CN=Someone Else CA", Rsa(3), ca: true);

        var v = Evaluate(Pki.RootStore, Pki.Leaf, Pki.Intermediate, unrelated);

        Assert.True(v.Trusted);
        var issue = Assert.Single(v.Issues);
        Assert.Equal(TrustProblem.ExtraCertificates, issue.Problem);
        Assert.Equal(2, issue.ChainIndex);
    }

    [Fact]
    public void IntermediateSentTwice_isExtraCertificatesDuplicate()
    {
        var v = Evaluate(Pki.RootStore, Pki.Leaf, Pki.Intermediate, Pki.Intermediate);

        Assert.True(v.Trusted);
        Assert.Contains("duplicate", Assert.Single(v.Issues).Message);
    }

    [Fact]
    public void Sha1SignedLeaf_isWeakSignatureButTrusted()
    {
        var leaf = Make("CN=sha1.example.org", Rsa(3), Pki.IntermediateIssuer, signatureAlgorithm: "SHA1WITHRSA");

        var v = Evaluate(Pki.RootStore, leaf, Pki.Intermediate);

        Assert.True(v.Trusted);
        var issue = Assert.Single(v.Issues);
        Assert.Equal(TrustProblem.WeakSignature, issue.Problem);
        Assert.Contains("sha1WithRSAEncryption", issue.Message);
    }

    [Fact]
    public void Rsa1024Leaf_isKeyTooSmallButTrusted()
    {
        var leaf = Make("CN=small.example.org", Rsa1024, Pki.IntermediateIssuer);

        var v = Evaluate(Pki.RootStore, leaf, Pki.Intermediate);

        Assert.True(v.Trusted);
        var issue = Assert.Single(v.Issues);
        Assert.Equal(TrustProblem.KeyTooSmall, issue.Problem);
        Assert.Contains("1024", issue.Message);
    }

    [Fact]
    public void EcP256LeafUnderRsaChain_isTrusted()
    {
        var leaf = Make("CN=ec.example.org", EcP256, Pki.IntermediateIssuer);

        var v = Evaluate(Pki.RootStore, leaf, Pki.Intermediate);

        Assert.True(v.Trusted);
        Assert.Empty(v.Issues);
    }

    [Fact]
    public void IntermediateWithSameNameButOtherKey_isInvalidSignature()
    {
        var impostor = Make("CN=Test Intermediate CA,O=Test", Rsa(3), (Pki.Root, Pki.RootKey), ca: true, keyIds: false);

        var v = Evaluate(Pki.RootStore, Pki.Leaf, impostor);

        Assert.False(v.Trusted);
        Assert.Contains(TrustProblem.InvalidSignature, Problems(v));
    }

    [Fact]
    public void IssuerWithoutCaFlag_isNotACaAndUntrusted()
    {
        var notCa = Make("CN=Not A CA", Rsa(3), (Pki.Root, Pki.RootKey), ca: false);
        var leaf = Make("CN=x.example.org", Rsa(4), (notCa, Rsa(3)));

        var v = Evaluate(Pki.RootStore, leaf, notCa);

        Assert.False(v.Trusted);
        Assert.Equal([TrustProblem.NotACa], Problems(v));
    }
}
