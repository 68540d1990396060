using System.Security.Cryptography;
using XmppScanCluster.ScanNode.Certificates;
using XmppScanCluster.Shared.Certificates;
using XmppScanCluster.Shared.Dns;
using static XmppScanCluster.ScanNode.Tests.Certificates.TestCertificates;

namespace XmppScanCluster.ScanNode.Tests.Certificates;

public class HostileChainTests
{
    [Fact]
    public void MutatedChains_evaluateAndDaneMatchWithoutThrowing()
    {
        var pki = new TestPki();
        var store = TrustStore.FromDerCertificates([pki.Root.GetEncoded()]);
        var chain = TestPki.Chain(pki.Leaf, pki.Intermediate, pki.Root);
        var tlsa = new[]
        {
            new TlsaRecord("_5222._tcp.x", 3, 1, 1, SHA256.HashData(pki.Leaf.CertificateStructure.SubjectPublicKeyInfo.GetDerEncoded()), 60),
            new TlsaRecord("_5222._tcp.x", 0, 0, 1, SHA256.HashData(pki.Root.GetEncoded()), 60),
        };
        var random = new Random(7673);
        for (var round = 0; round < 300; round++)
        {
            var mutated = chain.Select(c => (byte[])c.Clone()).ToArray();
            var victim = mutated[random.Next(mutated.Length)];
            victim[random.Next(victim.Length)] = (byte)random.Next(256);

            var verdict = TrustEvaluator.Evaluate(mutated, store, Now);
            var dane = DaneMatcher.Match(tlsa, mutated, DnssecStatus.Secure, store, Now);

            Assert.NotNull(verdict.Issues);
            Assert.True(Enum.IsDefined(dane.Result));
            Assert.True(!verdict.Trusted || verdict.PathSha256.Count > 0);
        }
    }

    [Fact]
    public void ChainOfIdenticalCopies_terminatesWithSelfSignedLeafAndExtras()
    {
        var leaf = Make("CN=loop.example.org", Rsa(3)).GetEncoded();

        var v = TrustEvaluator.Evaluate(Enumerable.Repeat(leaf, 50).ToArray(), TrustStore.Empty, Now);

        Assert.False(v.Trusted);
        Assert.Contains(v.Issues, i => i.Problem == TrustProblem.SelfSignedLeaf);
        Assert.Equal(49, v.Issues.Count(i => i.Problem == TrustProblem.ExtraCertificates));
    }

    [Fact]
    public void TwoCasCrossSigningEachOther_stopsWithoutLooping()
    {
        var keyA = Rsa(3);
        var keyB = Rsa(4);
        var seedA = Make("CN=CA A", keyA, ca: true);
        var b = Make("CN=CA B", keyB, (seedA, keyA), ca: true);
        var a = Make("CN=CA A", keyA, (b, keyB), ca: true);
        var leaf = Make("CN=x.example.org", Rsa(5), (a, keyA));

        var v = TrustEvaluator.Evaluate(TestPki.Chain(leaf, a, b), TrustStore.Empty, Now);

        Assert.False(v.Trusted);
        Assert.Contains(v.Issues, i => i.Problem is TrustProblem.UnknownIssuer or TrustProblem.InvalidSignature);
    }
}
