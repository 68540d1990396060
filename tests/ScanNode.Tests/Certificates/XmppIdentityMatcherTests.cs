using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using XmppScanCluster.ScanNode.Certificates;
using XmppScanCluster.Shared.Certificates;
using XmppScanCluster.Shared.Model;
using static XmppScanCluster.ScanNode.Tests.Certificates.TestCertificates;

namespace XmppScanCluster.ScanNode.Tests.Certificates;

public class XmppIdentityMatcherTests
{
    private static CertificateFacts Leaf(string cn, params GeneralName[] sans)
    {
        var cert = Make($"CN={cn}", EcP256, sans: sans);
        Assert.True(CertificateParser.TryParse(cert.GetEncoded(), out var facts, out var error), error);
        return facts!;
    }

    [Fact]
    public void DnsIdExact_matchesAsDnsId()
    {
        var m = XmppIdentityMatcher.Match(Leaf("other", DnsSan("example.org")), "Example.ORG.", XmppMode.C2S);

        Assert.True(m.Matched);
        Assert.Equal(IdentityMatchKind.DnsId, m.MatchedBy);
        Assert.Equal("example.org", m.ReferenceIdentity);
        Assert.False(m.CommonNameOnlyMatch);
    }

    [Fact]
    public void WildcardOneLabel_matches()
    {
        var m = XmppIdentityMatcher.Match(Leaf("x", DnsSan("*.example.org")), "chat.example.org", XmppMode.S2S);

        Assert.True(m.Matched);
        Assert.Equal("*.example.org", m.MatchedIdentifier);
    }

    [Theory]
    [InlineData("a.b.example.org")] // two labels
    [InlineData("example.org")] // the apex itself
    public void WildcardNotExactlyOneLabel_doesNotMatch(string domain)
    {
        var m = XmppIdentityMatcher.Match(Leaf("x", DnsSan("*.example.org")), domain, XmppMode.C2S);

        Assert.False(m.Matched);
        Assert.Equal(IdentityMatchKind.None, m.MatchedBy);
    }

    [Theory]
    [InlineData("x*.example.org")]
    [InlineData("*x.example.org")]
    [InlineData("c*t.example.org")]
    [InlineData("*.org")]
    [InlineData("chat.*.org")]
    public void PartialOrTooBroadWildcard_doesNotMatch(string presented)
    {
        var m = XmppIdentityMatcher.Match(Leaf("x", DnsSan(presented)), "chat.example.org", XmppMode.C2S);

        Assert.False(m.Matched);
    }

    [Fact]
    public void SrvIdForClientService_matchesC2s()
    {
        var m = XmppIdentityMatcher.Match(Leaf("x", SrvId("_xmpp-client.example.org")), "example.org", XmppMode.C2S);

        Assert.True(m.Matched);
        Assert.Equal(IdentityMatchKind.SrvId, m.MatchedBy);
    }

    [Fact]
    public void SrvIdForClientService_doesNotMatchS2s()
    {
        var m = XmppIdentityMatcher.Match(Leaf("x", SrvId("_xmpp-client.example.org")), "example.org", XmppMode.S2S);

        Assert.False(m.Matched);
    }

    [Fact]
    public void SrvIdForServerService_matchesS2sOnly()
    {
        var leaf = Leaf("x", SrvId("_xmpp-server.example.org"));

        Assert.Equal(IdentityMatchKind.SrvId, XmppIdentityMatcher.Match(leaf, "example.org", XmppMode.S2S).MatchedBy);
        Assert.False(XmppIdentityMatcher.Match(leaf, "example.org", XmppMode.C2S).Matched);
    }

    [Fact]
    public void XmppAddrOfDomain_matchesAsXmppAddr()
    {
        var m = XmppIdentityMatcher.Match(Leaf("x", XmppAddr("Example.org")), "example.org", XmppMode.S2S);

        Assert.True(m.Matched);
        Assert.Equal(IdentityMatchKind.XmppAddr, m.MatchedBy);
    }

    [Fact]
    public void XmppAddrOfUserJid_doesNotMatch()
    {
        var m = XmppIdentityMatcher.Match(Leaf("x", XmppAddr("admin@example.org")), "example.org", XmppMode.S2S);

        Assert.False(m.Matched);
    }

    [Fact]
    public void XmppAddrWithImplicitTagging_isReadLeniently()
    {
        var implicitValue = new GeneralName(GeneralName.OtherName, new DerSequence(
            new DerObjectIdentifier("1.3.6.1.5.5.7.8.5"), new DerTaggedObject(false, 0, new DerUtf8String("example.org"))));

        var m = XmppIdentityMatcher.Match(Leaf("x", implicitValue), "example.org", XmppMode.C2S);

        Assert.Equal(IdentityMatchKind.XmppAddr, m.MatchedBy);
    }

    [Fact]
    public void DnsIdTakesPrecedenceOverSrvIdAndXmppAddr()
    {
        var leaf = Leaf("x", XmppAddr("example.org"), SrvId("_xmpp-client.example.org"), DnsSan("example.org"));

        Assert.Equal(IdentityMatchKind.DnsId, XmppIdentityMatcher.Match(leaf, "example.org", XmppMode.C2S).MatchedBy);
    }

    [Fact]
    public void CommonNameWithoutIdentifierSans_isCommonNameOnlyMatch()
    {
        var m = XmppIdentityMatcher.Match(Leaf("example.org"), "example.org", XmppMode.C2S);

        Assert.True(m.Matched);
        Assert.Equal(IdentityMatchKind.CommonName, m.MatchedBy);
        Assert.True(m.CommonNameOnlyMatch);
    }

    [Fact]
    public void CommonNameWhenDnsSansExist_isIgnored()
    {
        var m = XmppIdentityMatcher.Match(Leaf("example.org", DnsSan("other.example.net")), "example.org", XmppMode.C2S);

        Assert.False(m.Matched);
        Assert.Single(m.PresentedIdentifiers);
    }

    [Fact]
    public void IdnDomain_matchesALabelDnsIdAndULabelXmppAddr()
    {
        // "bücher.example" is "xn--bcher-kva.example" in A-labels.
        var dns = XmppIdentityMatcher.Match(Leaf("x", DnsSan("xn--bcher-kva.example")), "Bücher.example", XmppMode.C2S);
        var xmpp = XmppIdentityMatcher.Match(Leaf("x", XmppAddr("bücher.example")), "xn--bcher-kva.example", XmppMode.S2S);

        Assert.Equal(IdentityMatchKind.DnsId, dns.MatchedBy);
        Assert.Equal("xn--bcher-kva.example", dns.ReferenceIdentity);
        Assert.Equal(IdentityMatchKind.XmppAddr, xmpp.MatchedBy);
    }

    [Fact]
    public void SrvTargetName_matchesOnlyWhenAllowed()
    {
        var leaf = Leaf("x", DnsSan("xmpp.hosting.example"));

        var refused = XmppIdentityMatcher.Match(leaf, "example.org", XmppMode.S2S, "xmpp.hosting.example.", srvTargetAllowed: false);
        var allowed = XmppIdentityMatcher.Match(leaf, "example.org", XmppMode.S2S, "xmpp.hosting.example.", srvTargetAllowed: true);

        Assert.False(refused.Matched);
        Assert.Equal(IdentityMatchKind.SrvTargetWithDane, allowed.MatchedBy);
    }

    [Fact]
    public void IpAddressSan_isPresentedButDoesNotMatchDomain()
    {
        var m = XmppIdentityMatcher.Match(Leaf("x", Ip("192.0.2.7"), Ip("2001:db8::1")), "example.org", XmppMode.C2S);

        Assert.False(m.Matched);
        Assert.Equal(["192.0.2.7", "2001:db8::1"], m.PresentedIdentifiers.Select(s => s.Value));
    }
}
