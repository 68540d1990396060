using System.Text.Json;
using XmppScanCluster.Coordinator.Tests.Support;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.Coordinator.Tests.Integration;

/// <summary>
/// Issue 3's accuracy bar on real servers: the per-protocol accepted suite sets the assessment reports for
/// every testbed server equal what that server is configured to offer (the manifest's lists, which the
/// testbed verifies with one OpenSSL handshake per suite: deploy/testbed/check.sh --suites).
/// </summary>
[Collection(TestbedCollection.Name)]
public class TestbedSuiteTests(TestbedFixture testbed)
{
    /// <summary>The manifest writes "TLSv1" where reports say "TLSv1.0" (OpenSSL's spelling).</summary>
    private static string ReportName(string manifestName) => manifestName == "TLSv1" ? "TLSv1.0" : manifestName;

    [Theory]
    [MemberData(nameof(TestbedScanTests.ServedDomains), MemberType = typeof(TestbedScanTests))]
    public void AcceptedSuitesPerProtocol_equalTheServersConfiguration(string domain)
    {
        // A protocol the server does not enable is listed with no suites.
        var expected = testbed.Domain(domain).GetProperty("expect").GetProperty("cipher_suites").EnumerateObject()
            .Where(p => p.Value.GetArrayLength() > 0)
            .ToDictionary(p => ReportName(p.Name), p => p.Value.EnumerateArray().Select(s => s.GetString()!).ToHashSet());
        var endpoints = testbed.C2s.Domains.Single(d => d.Domain == domain).Endpoints
            .Where(e => e.Transport == TlsTransport.StartTls).ToList();
        Assert.NotEmpty(endpoints);
        foreach (var endpoint in endpoints)
        {
            var assessment = endpoint.Assessment;
            Assert.NotNull(assessment);
            Assert.Equal(ProbeStatus.Completed, assessment.Status);
            var supported = assessment.Protocols.Where(p => p.Supported).ToDictionary(p => p.Protocol, p => p.Suites.Select(s => s.Name).ToHashSet());
            Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), supported.Keys.Order(StringComparer.Ordinal));
            foreach (var (protocol, suites) in expected)
            {
                var missing = suites.Except(supported[protocol]).ToList();
                var extra = supported[protocol].Except(suites).ToList();
                Assert.True(missing.Count == 0 && extra.Count == 0,
                    $"{domain} {endpoint.Address}:{endpoint.Port} {protocol}: missing [{string.Join(", ", missing)}], extra [{string.Join(", ", extra)}]");
            }
        }
    }

    [Theory]
    [MemberData(nameof(TestbedScanTests.ServedDomains), MemberType = typeof(TestbedScanTests))]
    public void Connections_stayWithinTheFloorPlusTen(string domain)
    {
        foreach (var endpoint in testbed.C2s.Domains.Single(d => d.Domain == domain).Endpoints)
        {
            var counts = endpoint.Assessment!.Connections;
            Assert.True(counts.Total <= counts.Floor + 10,
                $"{domain} {endpoint.Address}:{endpoint.Port} {endpoint.Transport.Name()}: {counts.Total} connections, floor {counts.Floor}");
        }
    }

    [Fact]
    public void LegacyServer_dhGroupIsIdentifiedAsOakleyGroup2()
    {
        var legacy = testbed.C2s.Domains.Single(d => d.Domain == "legacy.test").Endpoints.First(e => e.Transport == TlsTransport.StartTls);
        var json = JsonSerializer.Serialize(legacy.Assessment!.KeyExchange, ResultJson.Options);
        Assert.Contains("oakley_group_2", json, StringComparison.Ordinal);
        Assert.Contains("1024", json, StringComparison.Ordinal);
    }
}
