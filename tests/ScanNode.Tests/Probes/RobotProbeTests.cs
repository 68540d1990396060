using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Tests.Support.Tls;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;
using static XmppScanCluster.ScanNode.Tests.Probes.VulnerabilityProbeTestSupport;
using Fixtures = XmppScanCluster.ScanNode.Tests.Tls.Fixtures;

namespace XmppScanCluster.ScanNode.Tests.Probes;

/// <summary>
/// ROBOT against the real static-RSA servers of the testbed (OpenSSL behind Prosody and ejabberd: no oracle) and
/// against scripted oracle servers that hold the RSA key, decrypt the ClientKeyExchange raw and answer by its padding.
/// </summary>
public class RobotProbeTests
{
    /// <summary>TLS_RSA_WITH_AES_128_CBC_SHA, TLS_RSA_WITH_AES_256_CBC_SHA, TLS_RSA_WITH_AES_128_GCM_SHA256.</summary>
    private static readonly ushort[] StaticRsa = [0x002F, 0x0035, 0x009C];

    [Theory]
    [InlineData("legacy.test")]
    [InlineData("ejabberd.test")]
    public async Task RealOpenSslServer_acceptingStaticRsa_isNotVulnerable(string domain)
    {
        var (factory, versions) = Testbed(domain);
        var context = new VulnerabilityProbeContext(domain, versions) { Suites = StaticRsa };

        var r = await new RobotProbe(factory, RealLimits).RunAsync(context, CancellationToken.None);

        Assert.Equal(ProbeStatus.Completed, r.Status);
        Assert.Equal(RobotOracle.None, r.Facts!.Oracle);
        Assert.False(r.Facts.Vulnerable);
        Assert.StartsWith("TLS_RSA_WITH_", r.Facts.CipherSuite, StringComparison.Ordinal);
        Assert.Equal(RobotProbe.Rounds * Enum.GetValues<RobotVariant>().Length, r.Connections);
        Assert.Equal(VerdictKind.Safe, new RobotCheck().Judge(r.Facts).Kind);
    }

    [Fact]
    public async Task OracleServer_answeringByThePaddingPrefix_isAStrongOracle_andVulnerable()
    {
        using var key = RSA.Create(1024);
        await using var server = OracleServer(key, prefixOk => (byte)(prefixOk ? 20 : 40)); // bad_record_mac vs handshake_failure

        var r = await new SilenceClock().RunAsync(server, (f, limits) => new RobotProbe(f, limits).RunAsync(RsaContext, CancellationToken.None));

        Assert.Equal(ProbeStatus.Completed, r.Status);
        Assert.Equal(RobotOracle.Strong, r.Facts!.Oracle);
        Assert.True(r.Facts.Vulnerable);
        Assert.Equal(1024, r.Facts.ModulusBits);
        Assert.Equal("alert handshake_failure, closed", r.Facts.Reactions.Single(x => x.Variant == RobotVariant.WrongPrefix).First);
        Assert.Equal("alert bad_record_mac, closed", r.Facts.Reactions.Single(x => x.Variant == RobotVariant.NoSeparator).First);
        // One connection at a time: each closed before the next was opened, ten in all.
        Assert.Equal(10, server.Accepted);
        var verdict = new RobotCheck().Verdict(RobotCheck.ToResult(r));
        Assert.Equal(VerdictKind.Vulnerable, verdict.Kind);
        Assert.StartsWith("VULNERABLE (strong oracle", verdict.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerAnsweringEveryPaddingAlike_isNotVulnerable()
    {
        using var key = RSA.Create(1024);
        await using var server = OracleServer(key, _ => 20);

        var r = await new SilenceClock().RunAsync(server, (f, limits) => new RobotProbe(f, limits).RunAsync(RsaContext, CancellationToken.None));

        Assert.Equal(RobotOracle.None, r.Facts!.Oracle);
        Assert.Equal(VerdictKind.Safe, new RobotCheck().Judge(r.Facts).Kind);
    }

    [Fact]
    public async Task AnswersChangingBetweenRounds_areInconclusive_notVulnerable()
    {
        using var key = RSA.Create(1024);
        var connection = 0;
        await using var server = OracleServer(key, _ => (byte)(Interlocked.Increment(ref connection) == 3 ? 40 : 20));

        var r = await new SilenceClock().RunAsync(server, (f, limits) => new RobotProbe(f, limits).RunAsync(RsaContext, CancellationToken.None));

        Assert.Equal(RobotOracle.Inconsistent, r.Facts!.Oracle);
        Assert.False(r.Facts.Vulnerable);
        Assert.Equal(VerdictKind.Inconclusive, new RobotCheck().Judge(r.Facts).Kind);
    }

    [Fact]
    public async Task NoStaticRsaSuite_isNotTested_withoutAConnection()
    {
        await using var server = new FakeTlsServer();
        var context = Tls12Only with { Suites = [0xC02F, 0xC030] };

        var r = await new RobotProbe(Factory(server), FastLimits).RunAsync(context, CancellationToken.None);

        Assert.Equal(ProbeStatus.Skipped, r.Status);
        Assert.Equal(RobotProbe.NoStaticRsa, r.Note);
        Assert.Equal(0, server.Accepted);
        Assert.Equal(VerdictKind.NotTested, new RobotCheck().Verdict(RobotCheck.ToResult(r)).Kind);
    }

    [Theory]
    [InlineData(RobotVariant.Valid, true, true)]
    [InlineData(RobotVariant.WrongPrefix, false, false)]
    [InlineData(RobotVariant.NoSeparator, true, false)]
    [InlineData(RobotVariant.ZeroInPadding, true, false)]
    [InlineData(RobotVariant.WrongVersion, true, false)]
    public void Messages_haveThePaddingTheirNameSays(RobotVariant variant, bool prefixOk, bool premasterOk)
    {
        var em = RobotProbe.Message(variant, 128, 0x0303);

        Assert.Equal(128, em.Length);
        Assert.Equal(prefixOk, em[0] == 0 && em[1] == 2);
        // A correct premaster: the first 0x00 after the prefix leaves exactly 48 bytes starting with 0x03 0x03.
        var separator = Array.IndexOf(em, (byte)0, 2);
        Assert.Equal(premasterOk, prefixOk && separator == 128 - 49 && em[^48] == 3 && em[^47] == 3);
    }

    private static VulnerabilityProbeContext RsaContext => Tls12Only with { Suites = StaticRsa };

    /// <summary>
    /// A scripted server with a Bleichenbacher oracle when <paramref name="alertFor"/> depends on its argument: it
    /// chooses TLS_RSA_WITH_AES_128_CBC_SHA, sends its certificate, reads ClientKeyExchange, ChangeCipherSpec and
    /// Finished, decrypts the premaster raw (c^d mod n) and answers the alert <paramref name="alertFor"/> gives for
    /// "the 0x00 0x02 prefix is right", then closes.
    /// </summary>
    private static FakeTlsServer OracleServer(RSA key, Func<bool, byte> alertFor)
    {
        var request = new CertificateRequest("CN=robot.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var der = cert.RawData;
        var p = key.ExportParameters(true);
        var server = new FakeTlsServer();
        server.EveryConnection = async c =>
        {
            await c.ExpectClientHelloAsync();
            byte[] list = [.. U24(der.Length + 3), .. U24(der.Length), .. der];
            await c.SendAsync(Fixtures.Record(22, 0x0303, Fixtures.Concat(
                Fixtures.Handshake(2, VulnerableServerFlights.ServerHelloBody(0x0303)),
                Fixtures.Handshake(11, list),
                Fixtures.Handshake(14, []))));
            var (_, cke) = await c.ExpectRecordAsync();   // handshake(4) ‖ EncryptedPreMasterSecret<0..2^16-1>
            await c.ExpectRecordAsync();                  // ChangeCipherSpec
            await c.ExpectRecordAsync();                  // Finished
            var m = BigInteger.ModPow(new BigInteger(cke.AsSpan(6), isUnsigned: true, isBigEndian: true),
                new BigInteger(p.D, isUnsigned: true, isBigEndian: true), new BigInteger(p.Modulus, isUnsigned: true, isBigEndian: true));
            var em = m.ToByteArray(isUnsigned: true, isBigEndian: true); // leading zero bytes dropped
            var prefixOk = em.Length == p.Modulus!.Length - 1 && em[0] == 0x02;
            await c.SendAsync(VulnerableServerFlights.Alert(0x0303, alertFor(prefixOk)));
        };
        return server;
    }

    private static byte[] U24(int n) => [(byte)(n >> 16), (byte)(n >> 8), (byte)n];

    /// <summary>The domain's direct-TLS endpoint and versions from the live testbed manifest.</summary>
    private static (LoopbackConnectionFactory Factory, List<TlsVersion> Versions) Testbed(string domain)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(SharedTestbed.EnsureUp()["TESTBED_MANIFEST"]));
        var d = doc.RootElement.GetProperty("domains").EnumerateArray().First(x => x.GetProperty("domain").GetString() == domain);
        var address = IPAddress.Parse(d.GetProperty("endpoints")[0].GetProperty("address").GetString()!);
        Assert.True(IPAddress.IsLoopback(address));
        var versions = doc.RootElement.GetProperty("profiles").GetProperty(d.GetProperty("profile").GetString()!).GetProperty("protocols")
            .EnumerateArray().Select(v => v.GetString() switch
            {
                "TLSv1" => TlsVersion.Tls10,
                "TLSv1.1" => TlsVersion.Tls11,
                "TLSv1.2" => TlsVersion.Tls12,
                _ => TlsVersion.Tls13,
            }).ToList();
        return (new LoopbackConnectionFactory(address, d.GetProperty("ports").GetProperty("c2s_direct_tls").GetInt32()), versions);
    }
}
