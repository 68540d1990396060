using System.Text.Json;
using XmppScanCluster.Coordinator.Cli;
using XmppScanCluster.Coordinator.Tests.Support;
using XmppScanCluster.Shared.Certificates;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Xmpp;

namespace XmppScanCluster.Coordinator.Tests.Integration;

/// <summary>
/// `xmppscan scan` against the real Prosody and ejabberd servers of the testbed: each domain's facts must
/// equal what deploy/testbed/servers.json says the server is configured to do.
/// </summary>
[Collection(TestbedCollection.Name)]
public class TestbedScanTests(TestbedFixture testbed)
{
    /// <summary>Domain names from the committed manifest (the expectations come from the live one).</summary>
    public static TheoryData<string> ServedDomains()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(RepoPaths.Deploy("testbed", "servers.json")));
        var data = new TheoryData<string>();
        foreach (var domain in manifest.RootElement.GetProperty("domains").EnumerateArray())
        {
            data.Add(domain.GetProperty("domain").GetString()!);
        }

        return data;
    }

    private static DomainReport Find(ScanReport report, string domain) => report.Domains.Single(d => d.Domain == domain);

    [Fact]
    public void EveryTestbedDomain_wasScannedAndExitCodeIsZero()
    {
        Assert.Equal(ExitCodes.Success, testbed.C2sExitCode);
        Assert.All(testbed.C2s.Domains, d => Assert.Equal(ProbeStatus.Completed, d.Status));
        Assert.All(testbed.S2s.Domains, d => Assert.Equal(ProbeStatus.Completed, d.Status));
    }

    [Theory]
    [MemberData(nameof(ServedDomains))]
    public void StartTlsRequirement_isWhatTheServerIsConfiguredFor(string domain)
    {
        var expect = testbed.Domain(domain).GetProperty("expect").GetProperty("starttls_required");
        foreach (var (report, mode) in new[] { (testbed.C2s, "c2s"), (testbed.S2s, "s2s") })
        {
            var starttls = Find(report, domain).Endpoints.Where(e => e.Transport == TlsTransport.StartTls).ToList();
            Assert.NotEmpty(starttls);
            var expected = expect.GetProperty(mode).GetBoolean() ? StartTlsSupport.Required : StartTlsSupport.Offered;
            Assert.All(starttls, e => Assert.Equal(expected, e.Xmpp!.PreTlsFeatures!.StartTls));
        }
    }

    [Theory]
    [MemberData(nameof(ServedDomains))]
    public void NegotiatedProtocol_isTheHighestTheServerEnables(string domain)
    {
        var protocols = testbed.Domain(domain).GetProperty("expect").GetProperty("protocols").EnumerateArray()
            .Select(p => p.GetString()!).ToList();
        var highest = protocols.Max(StringComparer.Ordinal)!;
        foreach (var report in new[] { testbed.C2s, testbed.S2s })
        {
            Assert.All(Find(report, domain).Endpoints, e => Assert.Equal(highest, e.Tls?.Protocol));
        }
    }

    [Theory]
    [MemberData(nameof(ServedDomains))]
    public void CertificateVerdict_isExact(string domain)
    {
        var expect = testbed.Domain(domain).GetProperty("expect").GetProperty("certificate");
        var verdict = expect.GetProperty("verdict").GetString();
        foreach (var endpoint in Find(testbed.C2s, domain).Endpoints)
        {
            var certificate = endpoint.Certificate!;
            var trust = certificate.Trust;
            var problems = trust.Issues.Select(i => i.Problem).ToHashSet();
            switch (verdict)
            {
                case "trusted":
                    Assert.True(trust.Trusted, string.Join("; ", trust.Issues.Select(i => i.Message)));
                    Assert.Empty(problems);
                    break;
                case "ecdsa":
                    Assert.True(trust.Trusted);
                    Assert.Equal(KeyAlgorithm.Ec, certificate.Chain[0].KeyAlgorithm);
                    break;
                case "expired":
                    Assert.False(trust.Trusted);
                    Assert.Contains(TrustProblem.Expired, problems);
                    break;
                case "self_signed":
                    Assert.False(trust.Trusted);
                    Assert.Contains(TrustProblem.SelfSignedLeaf, problems);
                    break;
                case "unknown_ca":
                    Assert.False(trust.Trusted);
                    Assert.Contains(TrustProblem.UnknownIssuer, problems);
                    break;
                case "missing_intermediate":
                    // The intermediate is known to the trust bundle: completed from there, but reported.
                    Assert.Contains(TrustProblem.IncompleteChain, problems);
                    Assert.DoesNotContain(TrustProblem.UnknownIssuer, problems);
                    Assert.Single(certificate.Chain);
                    break;
                case "sha1_signature":
                    Assert.Contains(TrustProblem.WeakSignature, problems);
                    Assert.Equal("sha1", certificate.Chain[0].SignatureHash);
                    break;
                case "rsa_1024":
                    Assert.Contains(TrustProblem.KeyTooSmall, problems);
                    Assert.Equal(1024, certificate.Chain[0].KeyBits);
                    break;
                case "wrong_name":
                case "srvid_only":
                    Assert.True(trust.Trusted);
                    break;
                default:
                    Assert.Fail($"manifest verdict '{verdict}' has no assertion here");
                    break;
            }
        }
    }

    [Theory]
    [MemberData(nameof(ServedDomains))]
    public void XmppIdentity_matchesByTheExpectedIdentifier(string domain)
    {
        var expected = testbed.Domain(domain).GetProperty("expect").GetProperty("certificate")
            .GetProperty("matching_identifier").GetString() switch
        {
            "dns_id" => IdentityMatchKind.DnsId,
            "srv_id" => IdentityMatchKind.SrvId,
            "xmpp_addr" => IdentityMatchKind.XmppAddr,
            _ => IdentityMatchKind.None,
        };
        foreach (var report in new[] { testbed.C2s, testbed.S2s })
        {
            Assert.All(Find(report, domain).Endpoints, e =>
            {
                Assert.Equal(expected != IdentityMatchKind.None, e.Certificate!.Identity!.Matched);
                Assert.Equal(expected, e.Certificate.Identity.MatchedBy);
            });
        }
    }

    [Fact]
    public void OptionalServer_offersPlainBeforeTls()
    {
        var expected = testbed.Domain("optional.test").GetProperty("expect").GetProperty("sasl_before_tls").GetProperty("c2s")
            .EnumerateArray().Select(m => m.GetString()!).Order(StringComparer.Ordinal);
        var endpoint = Find(testbed.C2s, "optional.test").Endpoints.First(e => e.Transport == TlsTransport.StartTls);
        Assert.Equal(expected, endpoint.Xmpp!.PreTlsFeatures!.SaslMechanisms.Order(StringComparer.Ordinal));
        Assert.Contains("STARTTLS offered but NOT required", testbed.C2sText, StringComparison.Ordinal);
    }

    [Fact]
    public void SrvTargets_areConnectedToWithTheServiceDomainAsIdentity()
    {
        var modern = Find(testbed.C2s, "modern.test");
        Assert.All(modern.Endpoints, e => Assert.Equal("xmpp.modern.test", e.Target));
        // Every address of the SRV target (IPv4 and, unless the testbed runs without it, ::1) is an endpoint.
        var addresses = testbed.Domain("modern.test").GetProperty("endpoints")[0].GetProperty("addresses")
            .EnumerateArray().Select(a => a.GetString()!).ToHashSet();
        Assert.Equal(addresses, modern.Endpoints.Select(e => e.Address).ToHashSet());
        Assert.Contains(modern.Endpoints, e => e.Transport == TlsTransport.DirectTls);
        Assert.All(modern.Endpoints, e => Assert.Equal("modern.test", e.Certificate!.Identity!.ReferenceIdentity));
    }

    [Fact]
    public void SeveralSrvTargets_areAllScannedInPriorityOrder()
    {
        var expected = testbed.Domain("multi.test").GetProperty("endpoints").EnumerateArray()
            .OrderBy(e => e.GetProperty("priority").GetInt32()).Select(e => e.GetProperty("address").GetString()!).ToList();
        var scanned = Find(testbed.C2s, "multi.test").Endpoints.Where(e => e.Transport == TlsTransport.StartTls)
            .Select(e => e.Address).ToList();
        Assert.Equal(expected, scanned);
    }

    [Fact]
    public void DomainWithoutSrv_fallsBackToItsOwnAddress()
    {
        var report = Find(testbed.C2s, "nosrv.test");
        Assert.True(report.Dns!.AddressFallback);
        var endpoint = Assert.Single(report.Endpoints);
        Assert.Equal((5222, EndpointSource.AddressFallback), (endpoint.Port, endpoint.Source));
        Assert.Equal(testbed.Domain("nosrv.test").GetProperty("endpoints")[0].GetProperty("address").GetString(), endpoint.Address);
    }

    [Fact]
    public void DotSrvTarget_isServiceNotOfferedNotAFailure()
    {
        var report = Find(testbed.C2s, "nosvc.test");
        Assert.True(report.Dns!.ServiceDisabled);
        Assert.Empty(report.Endpoints);
        Assert.Equal(ProbeStatus.Completed, report.Status);
    }
}
