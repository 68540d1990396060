using System.Diagnostics;
using XmppScanCluster.ScanNode.Assessment;
using XmppScanCluster.ScanNode.Tests.Support.Tls;
using XmppScanCluster.Shared.Results;
using Xunit.Abstractions;

namespace XmppScanCluster.ScanNode.Tests.Assessment;

/// <summary>The whole assessment against real <c>openssl s_server</c> configurations on 127.0.0.1.</summary>
public class OpenSslAssessmentTests(ITestOutputHelper output)
{
    internal static readonly ScanLimits Limits = ScanLimits.Default with
    {
        ReadTimeout = TimeSpan.FromSeconds(5),
        ConnectionTimeout = TimeSpan.FromSeconds(10),
    };

    private async Task<TlsAssessmentReport> AssessAsync(OpenSslServer server, AssessmentOptions? options = null)
    {
        var report = await new TlsAssessor(Limits, options).AssessAsync(new LoopbackConnectionFactory(server.Port), "localhost", CancellationToken.None);
        output.WriteLine(AssessmentText.Describe(report));
        return report;
    }

    private static ProtocolAssessment Protocol(TlsAssessmentReport r, string name) => r.Protocols.Single(p => p.Protocol == name);

    private static int[] Codes(ProtocolAssessment p) => [.. p.Suites.Select(s => s.Code)];

    /// <summary>The frugality target of the issue: at most the floor plus 10 connections.</summary>
    private static void AssertFrugal(TlsAssessmentReport r)
    {
        Assert.True(r.Connections.Total <= r.Connections.Floor + 10, $"{r.Connections.Total} connections, floor {r.Connections.Floor}");
        Assert.Equal(r.Connections.Total, r.Connections.PerProbe.Sum(p => p.Connections));
    }

    [Fact]
    public async Task Tls12ServerPreference_exactSuitesInServerOrder_ffdhe2048Identified()
    {
        var dh = await DhParams.NamedAsync("ffdhe2048");
        await using var server = await OpenSslServer.StartAsync("-tls1_2", "-serverpref", "-dhparam", dh,
            "-cipher", "ECDHE-RSA-AES256-GCM-SHA384:AES128-SHA:DHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256");

        var r = await AssessAsync(server);

        Assert.Equal(ProbeStatus.Completed, r.Status);
        Assert.Equal("full", r.HelloProfile);
        var tls12 = Protocol(r, "TLSv1.2");
        Assert.True(tls12.Supported);
        Assert.Equal(NegotiationOrder.Server, tls12.SuiteOrder);
        Assert.Equal([0xC030, 0x002F, 0x009E, 0xC02F], Codes(tls12));
        Assert.NotNull(tls12.ServerHelloHex);
        foreach (var other in (string[])["SSLv2", "SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.3"])
        {
            Assert.False(Protocol(r, other).Supported, other);
            Assert.Empty(Protocol(r, other).Suites);
        }

        // OpenSSL 3 has no SSLv2: whatever it does with the CLIENT-HELLO (alert, or a close the control hello
        // confirms), absence is established, not inconclusive.
        Assert.True(Protocol(r, "SSLv2").Refused, Protocol(r, "SSLv2").Inconclusive);

        var group = Assert.Single(r.KeyExchange.DhGroups);
        Assert.Equal("ffdhe2048", group.Name);
        Assert.Equal(2048, group.Bits);
        Assert.Equal("DH 2048 ffdhe2048", tls12.Suites.Single(s => s.Code == 0x009E).KeyExchange);
        Assert.Equal("TLSv1.2", r.KeyExchange.EcdheProtocol);
        Assert.NotEmpty(r.KeyExchange.EcdheCurves);
        Assert.NotNull(r.SignatureAlgorithms);
        AssertFrugal(r);
    }

    [Fact]
    public async Task NoServerPreference_isClientOrder_tls13SuitesAndGroups()
    {
        await using var server = await OpenSslServer.StartAsync("-no_tls1_1", "-no_tls1",
            "-cipher", "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305:AES256-SHA256",
            "-ciphersuites", "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256",
            "-groups", "P-384:X25519");

        var r = await AssessAsync(server);

        var tls12 = Protocol(r, "TLSv1.2");
        Assert.Equal(NegotiationOrder.Client, tls12.SuiteOrder);
        Assert.Equal([0x003D, 0xC02F, 0xCCA8], Codes(tls12));
        var tls13 = Protocol(r, "TLSv1.3");
        Assert.True(tls13.Supported);
        Assert.Equal(NegotiationOrder.Client, tls13.SuiteOrder);
        Assert.Equal([0x1302, 0x1303], Codes(tls13));
        // OpenSSL 3.0 picks the HelloRetryRequest group by its own list even without -serverpref.
        Assert.Equal([0x0018, 0x001D], r.KeyExchange.Tls13Groups.Select(g => g.Code).ToArray());
        Assert.Equal(NegotiationOrder.Server, r.KeyExchange.Tls13GroupOrder);
        Assert.Equal([0x0018, 0x001D], r.KeyExchange.EcdheCurves.Select(g => g.Code).Order().ToArray());
        Assert.Equal(NegotiationOrder.Client, r.KeyExchange.EcdheCurveOrder);
        Assert.False(Protocol(r, "TLSv1.1").Supported);
        AssertFrugal(r);
    }

    [Fact]
    public async Task ServerPreferenceForGroups_curvesAndTls13GroupsInServerOrder()
    {
        await using var server = await OpenSslServer.StartAsync("-serverpref", "-groups", "X448:P-256:X25519",
            "-cipher", "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384",
            "-ciphersuites", "TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256");

        var r = await AssessAsync(server);

        Assert.Equal([0x001E, 0x0017, 0x001D], r.KeyExchange.EcdheCurves.Select(g => g.Code).ToArray());
        Assert.Equal(NegotiationOrder.Server, r.KeyExchange.EcdheCurveOrder);
        Assert.Equal([0x001E, 0x0017, 0x001D], r.KeyExchange.Tls13Groups.Select(g => g.Code).ToArray());
        Assert.Equal(NegotiationOrder.Server, r.KeyExchange.Tls13GroupOrder);
        var tls13 = Protocol(r, "TLSv1.3");
        Assert.Equal(NegotiationOrder.Server, tls13.SuiteOrder);
        Assert.Equal([0x1303, 0x1301], Codes(tls13));
        Assert.Equal([0xC02F, 0xC030], Codes(Protocol(r, "TLSv1.2")));
        AssertFrugal(r);
    }

    [Fact]
    public async Task LegacyVersionsAtSecurityLevel0_perProtocolLists_oakleyGroup2Identified()
    {
        var dh = await DhParams.Oakley2Async();
        await using var server = await OpenSslServer.StartAsync("-serverpref", "-dhparam", dh, "-no_tls1_3",
            "-cipher", "ECDHE-RSA-AES256-GCM-SHA384:DHE-RSA-AES256-SHA:AES128-SHA:@SECLEVEL=0");

        var r = await AssessAsync(server);

        // The GCM suite exists from TLS 1.2 only: each version has its own list.
        Assert.Equal([0xC030, 0x0039, 0x002F], Codes(Protocol(r, "TLSv1.2")));
        Assert.Equal([0x0039, 0x002F], Codes(Protocol(r, "TLSv1.1")));
        Assert.Equal([0x0039, 0x002F], Codes(Protocol(r, "TLSv1.0")));
        Assert.All(r.Protocols.Where(p => p.Protocol is "TLSv1.0" or "TLSv1.1" or "TLSv1.2"), p => Assert.Equal(NegotiationOrder.Server, p.SuiteOrder));
        Assert.False(Protocol(r, "TLSv1.3").Supported);
        var group = Assert.Single(r.KeyExchange.DhGroups);
        Assert.Equal("oakley_group_2", group.Name);
        Assert.Equal(1024, group.Bits);
        Assert.Equal(["TLSv1.0", "TLSv1.1", "TLSv1.2"], group.Protocols);
        AssertFrugal(r);
    }

    /// <summary>
    /// A client-order server whose one cipher list leaves a single suite below TLS 1.2 (a hardened list with one CBC
    /// suite for old clients): TLS 1.2's suites foretell it, so TLS 1.1 and 1.0 get no pinned second offer (it would
    /// pick the same suite again) — one handshake and one refusal each, in both lane settings.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task ClientOrder_oneSuiteBelowTls12_eachOlderVersionCostsItsHandshakeAndOneRefusal(int lanes)
    {
        await using var server = await OpenSslServer.StartAsync("-no_tls1_3",
            "-cipher", "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-SHA:@SECLEVEL=0");

        var r = await AssessAsync(server, new AssessmentOptions { MaxConnectionsPerServer = lanes });

        Assert.Equal(NegotiationOrder.Client, Protocol(r, "TLSv1.2").SuiteOrder);
        Assert.Equal([0xC013, 0xC02F, 0xC030], Codes(Protocol(r, "TLSv1.2")).Order());
        foreach (var version in (string[])["TLSv1.1", "TLSv1.0"])
        {
            Assert.Equal([0xC013], Codes(Protocol(r, version)));
            Assert.Equal(2, r.Connections.PerProbe.Where(p => p.Probe.EndsWith(" " + version, StringComparison.Ordinal)).Sum(p => p.Connections));
        }

        AssertFrugal(r);
    }

    /// <summary>
    /// A server-order server with two suites below TLS 1.2: TLS 1.2's order foretells theirs, and the first offer at TLS
    /// 1.1 and 1.0 puts the favourite last, so the first handshake already rules out client order. Both preference orders
    /// of the same two suites: before the forecast, the one whose favourite came first in the offer cost a swapped pair
    /// offer per version. Each version now costs its two handshakes and one refusal.
    /// </summary>
    [Theory]
    [InlineData("AES128-SHA:AES256-SHA", 1)]
    [InlineData("AES256-SHA:AES128-SHA", 1)]
    [InlineData("AES128-SHA:AES256-SHA", 2)]
    [InlineData("AES256-SHA:AES128-SHA", 2)]
    public async Task ServerOrder_twoSuitesBelowTls12_eachOlderVersionCostsItsHandshakesAndOneRefusal(string cbc, int lanes)
    {
        await using var server = await OpenSslServer.StartAsync("-no_tls1_3", "-serverpref",
            "-cipher", $"ECDHE-RSA-AES128-GCM-SHA256:{cbc}:@SECLEVEL=0");

        var r = await AssessAsync(server, new AssessmentOptions { MaxConnectionsPerServer = lanes });

        int[] expected = [.. cbc.Split(':').Select(n => n == "AES128-SHA" ? 0x002F : 0x0035)];
        Assert.Equal(NegotiationOrder.Server, Protocol(r, "TLSv1.2").SuiteOrder);
        foreach (var version in (string[])["TLSv1.1", "TLSv1.0"])
        {
            Assert.Equal(NegotiationOrder.Server, Protocol(r, version).SuiteOrder);
            Assert.Equal(expected, Codes(Protocol(r, version)));
            Assert.Equal(3, r.Connections.PerProbe.Where(p => p.Probe.EndsWith(" " + version, StringComparison.Ordinal)).Sum(p => p.Connections));
        }

        AssertFrugal(r);
    }

    [Fact]
    public async Task EverySuiteOpenSslEnables_atSecurityLevel0_isFound_perVersion()
    {
        const string all = "ALL:COMPLEMENTOFALL:@SECLEVEL=0";
        await using var server = await OpenSslServer.StartAsync("-no_tls1_3", "-cipher", all);

        var r = await AssessAsync(server, new AssessmentOptions { SignatureAlgorithms = false });

        Assert.Equal((await OpenSslCipherList.RsaServerSuitesAsync(all, "-tls1_2")).Order(), Codes(Protocol(r, "TLSv1.2")).Order());
        Assert.Equal((await OpenSslCipherList.RsaServerSuitesAsync(all, "-tls1_1")).Order(), Codes(Protocol(r, "TLSv1.1")).Order());
        Assert.Equal((await OpenSslCipherList.RsaServerSuitesAsync(all, "-tls1")).Order(), Codes(Protocol(r, "TLSv1.0")).Order());
        Assert.True(r.Connections.Total <= r.Connections.Floor + 10, $"{r.Connections.Total} vs floor {r.Connections.Floor}");
    }

    [Fact]
    public async Task ServerPreferenceOverSixtySuites_orderIsOpenSslsOwnList()
    {
        const string all = "ALL:COMPLEMENTOFALL:@SECLEVEL=0";
        await using var server = await OpenSslServer.StartAsync("-tls1_2", "-serverpref", "-cipher", all);

        var r = await AssessAsync(server, new AssessmentOptions { SignatureAlgorithms = false });

        var tls12 = Protocol(r, "TLSv1.2");
        Assert.Equal(NegotiationOrder.Server, tls12.SuiteOrder);
        Assert.Equal(await OpenSslCipherList.RsaServerSuitesAsync(all, "-tls1_2"), Codes(tls12));
        // Known cost: 62 suites in server order do not fit one 64-suite window together with what OpenSSL
        // does not implement, so the order is read again (up to one offer per suite) — above floor + 10 here.
        Assert.True(r.Connections.Total <= r.Connections.Floor + tls12.Suites.Count + 5, $"{r.Connections.Total} vs floor {r.Connections.Floor}");
    }
}

/// <summary>What <c>openssl ciphers -s -V</c> says a server with an RSA key enables at one version.</summary>
internal static class OpenSslCipherList
{
    public static async Task<int[]> RsaServerSuitesAsync(string cipherString, string versionFlag)
    {
        var psi = new ProcessStartInfo("openssl", ["ciphers", "-s", versionFlag, "-V", cipherString]) { RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        var text = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        // "0xC0,0x30 - ECDHE-RSA-AES256-GCM-SHA384 TLSv1.2 Kx=ECDH Au=RSA Enc=... Mac=..."
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length > 5 && f[3] != "TLSv1.3" && (f[5] is "Au=RSA" or "Au=None") && !f[4].Contains("PSK") && f[4] != "Kx=SRP")
            .Select(f => Convert.ToInt32(f[0].Replace("0x", "").Replace(",", ""), 16))];
    }
}

/// <summary>DH parameter files for s_server, in a temp dir that lives for the test run.</summary>
internal static class DhParams
{
    private static readonly string Dir = Directory.CreateTempSubdirectory("xsc-dh-").FullName;

    /// <summary>OpenSSL's built-in named group (ffdhe2048, modp_2048…).</summary>
    public static async Task<string> NamedAsync(string group)
    {
        var path = Path.Combine(Dir, group + ".pem");
        if (File.Exists(path)) return path;
        var psi = new ProcessStartInfo("openssl", ["genpkey", "-genparam", "-algorithm", "DH", "-pkeyopt", "group:" + group, "-out", path])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var p = Process.Start(psi)!;
        await p.WaitForExitAsync();
        return path;
    }

    /// <summary>RFC 2409 Oakley group 2 (1024-bit MODP, g = 2) as a PKCS#3 DHParameter PEM.</summary>
    public static async Task<string> Oakley2Async()
    {
        var path = Path.Combine(Dir, "oakley2.pem");
        var prime = Convert.FromHexString(Shared.Tls.WellKnownDhGroups.All.Single(g => g.Name == "oakley_group_2").PrimeHex);
        var writer = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteIntegerUnsigned(prime);
            writer.WriteInteger(2);
        }

        await File.WriteAllTextAsync(path, new string(System.Security.Cryptography.PemEncoding.Write("DH PARAMETERS", writer.Encode())));
        return path;
    }
}
