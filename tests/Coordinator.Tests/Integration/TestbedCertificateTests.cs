using System.Text.Json;
using XmppScanCluster.Coordinator.Tests.Support;
using XmppScanCluster.Shared.Certificates;
using XmppScanCluster.Shared.Dns;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.Coordinator.Tests.Integration;

/// <summary>
/// DANE, per-key-type chains, the chain walk and OCSP stapling as `xmppscan scan` reports them for the real testbed
/// servers, checked against deploy/testbed/servers.json (the live manifest carries the TLSA data). The testbed's
/// dnsmasq does not sign, so every answer is insecure and DANE must be NotSecure — with what would have matched.
/// </summary>
[Collection(TestbedCollection.Name)]
public class TestbedCertificateTests(TestbedFixture testbed)
{
    private IEnumerable<(string Domain, EndpointReport Endpoint)> Endpoints(params string[] domains) =>
        new[] { testbed.C2s, testbed.S2s }.SelectMany(r => r.Domains)
            .Where(d => domains.Length == 0 || domains.Contains(d.Domain))
            .SelectMany(d => d.Endpoints.Select(e => (d.Domain, e)));

    private JsonElement? Tlsa(string domain) =>
        testbed.Domain(domain).GetProperty("dns").TryGetProperty("tlsa", out var t) && t.ValueKind == JsonValueKind.Object ? t : null;

    [Fact]
    public void MatchingDaneEeRecord_isNotSecure_andWouldHaveMatched()
    {
        var tlsa = Tlsa("modern.test")!.Value;
        Assert.True(tlsa.GetProperty("matches_certificate").GetBoolean());
        var data = tlsa.GetProperty("data").GetString()!;
        var usage = $"{tlsa.GetProperty("usage").GetInt32()} {tlsa.GetProperty("selector").GetInt32()} {tlsa.GetProperty("matching_type").GetInt32()}";

        Assert.NotEmpty(Endpoints("modern.test"));
        foreach (var (_, endpoint) in Endpoints("modern.test"))
        {
            var dane = endpoint.Certificate!.Dane!;
            Assert.Equal($"_{endpoint.Port}._tcp.xmpp.modern.test", dane.TlsaName);
            var record = Assert.Single(dane.Records);
            Assert.Equal(data, Convert.ToHexStringLower(record.Data));
            Assert.Equal((DnssecStatus.Insecure, DnssecStatus.Insecure), (dane.SrvDnssec, dane.TlsaDnssec));
            Assert.Equal("resolver AD bit", dane.DnssecSource);
            Assert.Equal(DaneResult.NotSecure, dane.Verdict.Result);
            Assert.Equal([$"{usage} {data}"], dane.Verdict.MatchedRecords);
            Assert.Contains("would have matched", dane.Verdict.Message, StringComparison.Ordinal);
            Assert.False(dane.SrvTargetIdentityAllowed);
        }
    }

    [Fact]
    public void MismatchingDaneEeRecord_isNotSecure_andWouldNotHaveMatched()
    {
        var domain = testbed.Domains().Select(d => d.GetProperty("domain").GetString()!)
            .Single(d => Tlsa(d) is { } t && !t.GetProperty("matches_certificate").GetBoolean());
        var data = Tlsa(domain)!.Value.GetProperty("data").GetString()!;

        Assert.NotEmpty(Endpoints(domain));
        foreach (var (_, endpoint) in Endpoints(domain))
        {
            var dane = endpoint.Certificate!.Dane!;
            Assert.Equal(data, Convert.ToHexStringLower(Assert.Single(dane.Records).Data));
            Assert.Equal(DaneResult.NotSecure, dane.Verdict.Result);
            Assert.Empty(dane.Verdict.MatchedRecords);
            Assert.Contains("would not have matched", dane.Verdict.Message, StringComparison.Ordinal);
            Assert.False(dane.SrvTargetIdentityAllowed);
        }
    }

    [Fact]
    public void DomainsWithoutTlsa_haveNoRecords_andEverythingIsInsecureOnAnUnsignedZone()
    {
        Assert.False(testbed.Manifest.GetProperty("dns").GetProperty("dnssec").GetBoolean());
        foreach (var (domain, endpoint) in Endpoints())
        {
            var dane = endpoint.Certificate!.Dane!;
            Assert.Equal(DnssecStatus.Insecure, dane.TlsaDnssec);
            if (Tlsa(domain) is null)
            {
                Assert.Equal(DaneResult.NoRecords, dane.Verdict.Result);
                Assert.Empty(dane.Records);
            }
        }
    }

    [Fact]
    public void KeyTypeChains_ecdsaServerServesOnlyEcdsa_othersOnlyRsa_sameLeafAsTheSession()
    {
        foreach (var (domain, endpoint) in Endpoints())
        {
            var keyType = testbed.Domain(domain).GetProperty("expect").GetProperty("certificate").GetProperty("key_type").GetString();
            var chains = endpoint.Certificate!.KeyTypeChains!;
            var served = Assert.Single(chains, c => c.Outcome == KeyTypeOutcome.Served);
            Assert.Equal(keyType == "EC" ? "ECDSA" : "RSA", served.KeyType);
            Assert.True(served.SameLeafAsSession);
            Assert.Equal(endpoint.Certificate.Chain.Select(c => c.Sha256), served.ChainSha256);
            Assert.Equal("TLSv1.2", served.Protocol);
            var other = Assert.Single(chains, c => c.Outcome != KeyTypeOutcome.Served);
            // When the assessment accepted no ECDSA-authenticated suite, the ECDSA hello is not even sent.
            var ecdsaSuites = endpoint.Assessment!.Protocols.Where(p => p.Supported && p.Protocol != "TLSv1.3")
                .SelectMany(p => p.Suites).Any(s => s.Name.Contains("_ECDSA_", StringComparison.Ordinal));
            Assert.Contains(other.Outcome, ecdsaSuites ? new[] { KeyTypeOutcome.NotServed, KeyTypeOutcome.Failed } : [KeyTypeOutcome.Skipped]);
        }
    }

    [Fact]
    public void ChainWalk_marksSentMissingAndTrustStore_asTheManifestSays()
    {
        foreach (var (domain, endpoint) in Endpoints())
        {
            var expect = testbed.Domain(domain).GetProperty("expect").GetProperty("certificate");
            var sent = expect.GetProperty("chain_sent").GetArrayLength();
            var walk = endpoint.Certificate!.Walk!;
            Assert.Equal(sent, walk.Count(w => w.SentIndex is not null));
            Assert.Equal(ChainSource.Session, endpoint.Certificate.Source);
            var verdict = expect.GetProperty("verdict").GetString();
            if (verdict is "trusted" or "missing_intermediate")
            {
                Assert.Equal(ChainCertificateOrigin.InTrustStore, walk[^1].Origin);
                Assert.NotNull(walk[^1].Facts);
            }

            Assert.Equal(verdict == "missing_intermediate", walk.Any(w => w.Origin == ChainCertificateOrigin.Missing));
        }
    }

    [Fact]
    public void TestbedServers_doNotStaple_andTheScanSaysSo()
    {
        Assert.All(Endpoints(), e => Assert.Equal(OcspStapleStatus.NotStapled, e.Endpoint.Certificate!.Ocsp!.Status));
    }

    [Fact]
    public void TextReport_hasTheChainWalkDaneAndOcspLines()
    {
        var text = testbed.C2sText;
        Assert.Contains("DANE      _5222._tcp.xmpp.modern.test: 1 TLSA record\n              DNSSEC SRV insecure, TLSA insecure (resolver AD bit)",
            text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("not secure, not usable: TLSA answer is Insecure", text, StringComparison.Ordinal);
        Assert.Contains("would have matched", text, StringComparison.Ordinal);
        Assert.Contains("[in trust store (not sent)]", text, StringComparison.Ordinal);
        Assert.Contains("[MISSING (not sent; known to the store)]", text, StringComparison.Ordinal);
        Assert.Contains("OCSP      no staple", text, StringComparison.Ordinal);
        Assert.Contains("Keys      RSA   same leaf as above", text, StringComparison.Ordinal);
    }
}
