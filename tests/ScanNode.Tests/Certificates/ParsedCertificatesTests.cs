using XmppScanCluster.ScanNode.Certificates;
using static XmppScanCluster.ScanNode.Tests.Certificates.TestCertificates;

namespace XmppScanCluster.ScanNode.Tests.Certificates;

/// <summary>A DER parsed before is not parsed again: the same bytes give the same instance (and with it the issuers it was
/// already verified against); other bytes — one bit of the signature changed — are parsed on their own and, as a leaf,
/// no longer verify against the issuer that signed the original.</summary>
public class ParsedCertificatesTests
{
    [Fact]
    public void SameDerTwice_sameInstance_oneBitChanged_parsedOnItsOwn_andItsSignatureFails()
    {
        var pki = new TestPki("cache.example.org", [DnsSan("cache.example.org")]);
        var der = pki.Leaf.GetEncoded();
        Assert.True(CertificateParser.TryParseCertificate(der, out var first, out _));
        Assert.True(CertificateParser.TryParseCertificate(der.ToArray(), out var second, out _));
        Assert.Same(first, second);

        Assert.True(CertificateParser.TryParseCertificate(pki.Intermediate.GetEncoded(), out var issuer, out _));
        Assert.True(first!.IsSignedBy(issuer!));
        var changed = der.ToArray();
        changed[^1] ^= 1; // the last byte of the signature value
        Assert.True(CertificateParser.TryParseCertificate(changed, out var other, out _));
        Assert.NotSame(first, other);
        Assert.NotEqual(first.Sha256, other!.Sha256);
        Assert.False(other.IsSignedBy(issuer!));
    }
}
