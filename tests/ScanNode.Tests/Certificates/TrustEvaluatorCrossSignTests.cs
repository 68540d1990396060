using XmppScanCluster.ScanNode.Certificates;
using XmppScanCluster.Shared.Certificates;
using static XmppScanCluster.ScanNode.Tests.Certificates.TestCertificates;

namespace XmppScanCluster.ScanNode.Tests.Certificates;

public class TrustEvaluatorCrossSignTests
{
    [Fact]
    public void CrossSignedTwinOfAnchorSent_isTrustedWithoutExtraCertificates()
    {
        var pki = new TestPki();
        var oldRootKey = Rsa(4);
        var oldRoot = Make("CN=Old Root", oldRootKey, ca: true);
        var crossSigned = Make("CN=Test Root CA,O=Test", pki.RootKey, (oldRoot, oldRootKey), ca: true);

        var v = TrustEvaluator.Evaluate(TestPki.Chain(pki.Leaf, pki.Intermediate, crossSigned), pki.RootStore, Now);

        Assert.True(v.Trusted);
        Assert.Empty(v.Issues);
    }

    [Fact]
    public void HostileIssuerKey_isRefusedQuicklyAsInvalidSignature()
    {
        var pki = new TestPki();
        var hostile = TestCertificates.HostileRsaCertificate("CN=Test Intermediate CA,O=Test", pki);

        var v = TrustEvaluator.Evaluate(TestPki.Chain(pki.Leaf, hostile), pki.RootStore, Now);

        // "bounded cost" is only said on the path that skipped verifying with the hostile key (TrustClassifier), so
        // the message proves the leaf's signature was never checked with a 16384-bit exponent — no stopwatch needed.
        Assert.Contains(v.Issues, i => i.Problem == TrustProblem.InvalidSignature && i.Message.Contains("bounded cost"));
    }
}
