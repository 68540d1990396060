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

/// <summary>
/// Who picks the suite: Prosody (LuaSec, no cipher_server_preference here) follows the client's order;
/// ejabberd is configured with cipher_server_preference, so its order must be OpenSSL's own ordering of
/// the configured cipher string — `openssl ciphers -V` is the oracle.
/// </summary>
[Collection(TestbedCollection.Name)]
public class TestbedSuiteOrderTests(TestbedFixture testbed)
{
    private static IReadOnlyList<int> OpenSslOrder(string cipherString)
    {
        var info = new System.Diagnostics.ProcessStartInfo("openssl") { RedirectStandardOutput = true };
        foreach (var argument in new[] { "ciphers", "-V", cipherString })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        // Lines look like: "          0xC0,0x2C - ECDHE-ECDSA-AES256-GCM-SHA384 TLSv1.2 Kx=ECDH ..."
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Trim().Split(' ')[0].Split(','))
            .Where(p => p.Length == 2)
            .Select(p => (Convert.ToInt32(p[0], 16) << 8) | Convert.ToInt32(p[1], 16))
            .ToList();
    }

    [Fact]
    public void Ejabberd_enforcesItsOrderWhichIsOpenSslsOrderOfItsCipherString()
    {
        var cipherString = testbed.Manifest.GetProperty("profiles").GetProperty("ejabberd").GetProperty("ciphers").GetString()!;
        var tls12 = testbed.C2s.Domains.Single(d => d.Domain == "ejabberd.test").Endpoints
            .First(e => e.Transport == TlsTransport.StartTls).Assessment!.Protocols.Single(p => p.Protocol == "TLSv1.2");
        Assert.Equal(NegotiationOrder.Server, tls12.SuiteOrder);
        var reported = tls12.Suites.Select(s => s.Code).ToList();
        var oracle = OpenSslOrder(cipherString).Where(reported.Contains).ToList();
        Assert.Equal(oracle, reported);
    }

    [Theory]
    [InlineData("modern.test")]
    [InlineData("intermediate.test")]
    [InlineData("legacy.test")]
    public void Prosody_followsTheClientsOrder(string domain)
    {
        var tls12 = testbed.C2s.Domains.Single(d => d.Domain == domain).Endpoints
            .First(e => e.Transport == TlsTransport.StartTls).Assessment!.Protocols.Single(p => p.Protocol == "TLSv1.2");
        Assert.Equal(NegotiationOrder.Client, tls12.SuiteOrder);
    }
}
