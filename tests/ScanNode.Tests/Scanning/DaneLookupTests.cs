using System.Security.Cryptography;
using XmppScanCluster.ScanNode.Dns;
using XmppScanCluster.ScanNode.Scanning;
using XmppScanCluster.ScanNode.Tests.Certificates;
using XmppScanCluster.Shared.Certificates;
using XmppScanCluster.Shared.Dns;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Tests.Scanning;

/// <summary>DANE per endpoint (RFC 7673): both the SRV and the TLSA answer must be DNSSEC-secure; the SRV target counts as an identity only then.</summary>
public class DaneLookupTests
{
    private const string Name = "_5222._tcp.xmpp.example.org";
    private static readonly TestPki Pki = new("example.org");
    private static readonly byte[][] Chain = TestPki.Chain(Pki.Leaf, Pki.Intermediate);

    private static TlsaRecord DaneEe311(byte[] leafDer)
    {
        var spki = Org.BouncyCastle.Asn1.X509.X509CertificateStructure.GetInstance(leafDer).SubjectPublicKeyInfo.GetEncoded();
        return new TlsaRecord(Name, 3, 1, 1, SHA256.HashData(spki), 300);
    }

    private static DnsLookup<TlsaRecord> Answer(bool authenticated, params TlsaRecord[] records) =>
        new(records.Length > 0 ? DnsStatus.Ok : DnsStatus.NoData, records, authenticated, [], null);

    [Fact]
    public void SecureSrvAndTlsa_matching_isMatch_andAllowsTheSrvTarget()
    {
        var facts = DaneLookup.Judge(Name, Answer(true, DaneEe311(Pki.Leaf.GetEncoded())), DnssecStatus.Secure, Chain, Pki.RootStore, TestCertificates.Now);

        Assert.Equal(DaneResult.Match, facts.Verdict.Result);
        Assert.True(facts.SrvTargetIdentityAllowed);
        Assert.Equal(DnssecStatus.Secure, facts.TlsaDnssec);
        Assert.Equal("resolver AD bit", facts.DnssecSource);
    }

    [Fact]
    public void SecureSrvAndTlsa_mismatching_isMismatch_andStillAllowsTheSrvTarget()
    {
        var facts = DaneLookup.Judge(Name, Answer(true, new TlsaRecord(Name, 3, 1, 1, new byte[32], 300)), DnssecStatus.Secure, Chain,
            Pki.RootStore, TestCertificates.Now);

        Assert.Equal(DaneResult.Mismatch, facts.Verdict.Result);
        Assert.True(facts.SrvTargetIdentityAllowed);
    }

    [Fact]
    public void InsecureTlsa_isNotSecure_wouldHaveMatched()
    {
        var record = DaneEe311(Pki.Leaf.GetEncoded());
        var facts = DaneLookup.Judge(Name, Answer(false, record), DnssecStatus.Secure, Chain, Pki.RootStore, TestCertificates.Now);

        Assert.Equal(DaneResult.NotSecure, facts.Verdict.Result);
        Assert.Single(facts.Verdict.MatchedRecords);
        Assert.Contains("would have matched", facts.Verdict.Message, StringComparison.Ordinal);
        Assert.False(facts.SrvTargetIdentityAllowed);
    }

    [Fact]
    public void SecureTlsaUnderInsecureSrv_isNotSecure_citingRfc7673()
    {
        var facts = DaneLookup.Judge(Name, Answer(true, DaneEe311(Pki.Leaf.GetEncoded())), DnssecStatus.Insecure, Chain, Pki.RootStore,
            TestCertificates.Now);

        Assert.Equal(DaneResult.NotSecure, facts.Verdict.Result);
        Assert.Contains("SRV answer", facts.Verdict.Message, StringComparison.Ordinal);
        Assert.Contains("would have matched", facts.Verdict.Message, StringComparison.Ordinal);
        Assert.False(facts.SrvTargetIdentityAllowed);
    }

    [Fact]
    public void NoRecords_isNoRecords()
    {
        var facts = DaneLookup.Judge(Name, Answer(true), DnssecStatus.Secure, Chain, Pki.RootStore, TestCertificates.Now);
        Assert.Equal(DaneResult.NoRecords, facts.Verdict.Result);
        Assert.False(facts.SrvTargetIdentityAllowed);
    }

    [Fact]
    public void ValidationFailure_isBogus_andNotSecure()
    {
        var lookup = DnsLookup<TlsaRecord>.Failure(DnsStatus.ServerFailure, "SERVFAIL") with { ValidationFailed = true };
        var facts = DaneLookup.Judge(Name, lookup, DnssecStatus.Secure, Chain, Pki.RootStore, TestCertificates.Now);

        Assert.Equal(DnssecStatus.Bogus, facts.TlsaDnssec);
        Assert.Equal(DaneResult.NotSecure, facts.Verdict.Result);
        Assert.Equal("serverfailure", facts.Lookup);
    }

    [Fact]
    public void TlsaName_isPortTcpSrvTarget()
    {
        var endpoint = new XmppEndpoint(Domain: "example.org", Mode: XmppMode.S2S, Transport: TlsTransport.StartTls, Target: "XMPP.Example.org.",
            Address: System.Net.IPAddress.Loopback, Port: 5269, Priority: 0, Weight: 0, Source: EndpointSource.Srv);
        Assert.Equal("_5269._tcp.xmpp.example.org", DaneLookup.TlsaName(endpoint));
    }

    [Fact]
    public void SrvTargetIdentity_countsOnlyWhenDaneAllowsIt()
    {
        // A leaf naming only the SRV target host (RFC 7673 §5).
        var leaf = TestCertificates.Make("CN=xmpp.hosting.example", Pki.LeafKey, Pki.IntermediateIssuer, sans: [TestCertificates.DnsSan("xmpp.hosting.example")]);
        var chain = TestPki.Chain(leaf, Pki.Intermediate);
        var assessor = new CertificateAssessor(Pki.RootStore);

        var without = assessor.Assess(chain, "example.org", XmppMode.C2S, "xmpp.hosting.example", srvTargetAllowed: false);
        var with = assessor.Assess(chain, "example.org", XmppMode.C2S, "xmpp.hosting.example", srvTargetAllowed: true);

        Assert.False(without.Identity!.Matched);
        Assert.Equal(IdentityMatchKind.SrvTargetWithDane, with.Identity!.MatchedBy);
    }
}
