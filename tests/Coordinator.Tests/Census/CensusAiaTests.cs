using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using XmppScanCluster.Coordinator.Cli;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Coordinator.Tests.Support;
using XmppScanCluster.Shared.Certificates;
using XmppScanCluster.Shared.Messages;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.TestKit;
using static XmppScanCluster.Coordinator.Tests.Support.InProcessCli;

namespace XmppScanCluster.Coordinator.Tests.Census;

/// <summary>
/// <c>census --fetch-aia</c> (issue 15: incomplete chain versus unknown CA): aia.test's SRV record (the testbed's DNS
/// view plus two records, on a dnsmasq of this test's own) points at a scripted XMPP server that sends only its leaf;
/// the leaf's AIA caIssuers URL names a small HTTP server on loopback publishing the intermediate, whose root is the
/// census's only trust anchor. With <c>--fetch-aia</c> the certificate step (the scan's inspector) fetches it and the
/// stored report and statistics say incomplete chain, trusted; without, unknown CA and the AIA server saw no request.
/// </summary>
[Collection(CensusCollection.Name)]
public sealed class CensusAiaTests(CensusTestbed testbed) : IDisposable
{
    private const string Domain = "aia.test";
    private static readonly string Net = Environment.GetEnvironmentVariable("XMPPSCAN_FREE_NET") ?? "127.77";
    private readonly string _dir = Directory.CreateTempSubdirectory("xmppscan-census-aia-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task LeafWithoutItsIntermediate_withFetchAia_isAnIncompleteChain_withoutIt_anUnknownCaAndNoFetch()
    {
        await using var aia = AiaHttpServer.Start(Net + ".3.2", "200 OK", null);
        using var rootKey = RSA.Create(2048);
        using var intermediateKey = RSA.Create(2048);
        using var root = Ca("CN=Census AIA Root", rootKey, null);
        using var intermediate = Ca("CN=Census AIA Intermediate", intermediateKey, (root, rootKey));
        using var leaf = Leaf(intermediate, intermediateKey, aia.Url);
        aia.Body = intermediate.RawData;
        var rootPem = Path.Combine(_dir, "root.pem");
        await File.WriteAllTextAsync(rootPem, root.ExportCertificatePem());

        // offline: the server's own chain building must neither find nor download the intermediate: it sends the leaf alone.
        await using var server = new TwoFacedXmppServer(directTls: false, hostileDomain: "never.invalid",
            (_, _) => throw new InvalidOperationException("no domain here is hostile"),
            SslStreamCertificateContext.Create(leaf, additionalCertificates: null, offline: true));
        var conf = Path.Combine(testbed.Env["TESTBED_DIR"], "conf", "dnsmasq.conf");
        var anchor = File.ReadAllLines(conf).First(l => l.StartsWith("srv-host=_xmpp-client._tcp.modern.test,", StringComparison.Ordinal));
        await using var dns = await RegionDns.StartAsync(conf, new Dictionary<string, string>
        {
            [anchor] = $"{anchor}\nsrv-host=_xmpp-client._tcp.{Domain},xmpp.{Domain},{server.Port},0,5\nhost-record=xmpp.{Domain},{server.Address}",
        }, Net + ".3.53");
        var targets = Path.Combine(_dir, "aia.txt");
        await File.WriteAllLinesAsync(targets, [Domain]);

        var without = await CensusAsync("plain", targets, dns.EndPoint.ToString(), rootPem, []);
        Assert.Equal(0, aia.Requests);
        var plain = without.Certificate;
        Assert.False(plain.Trust.Trusted);
        Assert.True(plain.Trust.Has(TrustProblem.UnknownIssuer));
        Assert.Null(plain.AiaFetches);
        Assert.Equal(1, StatCount(without.Stats, "trust_causes", "unknown_issuer"));
        Assert.False(without.FetchAiaStored);

        var with = await CensusAsync("fetch", targets, dns.EndPoint.ToString(), rootPem, ["--fetch-aia"]);
        Assert.Contains("fetch-aia", with.Stdout, StringComparison.Ordinal);
        Assert.True(with.FetchAiaStored);
        Assert.True(aia.Requests >= 1);
        var fetched = with.Certificate;
        Assert.True(fetched.Trust.Trusted);
        Assert.False(fetched.Trust.Has(TrustProblem.UnknownIssuer));
        var issue = Assert.Single(fetched.Trust.Issues, i => i.Problem == TrustProblem.IncompleteChain);
        Assert.Contains($"fetched from its AIA caIssuers URL {aia.Url}", issue.Message, StringComparison.Ordinal);
        var fetch = Assert.Single(fetched.AiaFetches!);
        Assert.Equal("fetched", fetch.Outcome);
        Assert.Equal(intermediate.RawData, fetch.Der);
        Assert.Equal(1, StatCount(with.Stats, "trust_causes", "incomplete_chain"));
        Assert.Equal(0, StatCount(with.Stats, "trust_causes", "unknown_issuer"));
    }

    [Fact]
    public async Task FetchAiaAtSessionDepth_isRefused_notIgnored()
    {
        var targets = Path.Combine(_dir, "one.txt");
        await File.WriteAllLinesAsync(targets, [Domain]);

        var (code, _, err) = await RunCliAsync(["census", "--targets", targets, "--store", "sqlite:" + Path.Combine(_dir, "s.db"),
            "--depth", "session", "--fetch-aia"]);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("xmppscan census: --fetch-aia needs --depth assessment or full (the session depth has no certificate step)", err.Trim());
    }

    private async Task<(CertificateReport Certificate, JsonElement Stats, string Stdout, bool FetchAiaStored)> CensusAsync(
        string name, string targets, string dns, string rootPem, string[] extra)
    {
        var db = "sqlite:" + Path.Combine(_dir, name + ".db");
        var run = await RunCliAsync(["census", "--targets", targets, "--store", db, "--depth", "assessment", "--spacing", "0",
            "--dns", dns, "--trust-anchors", rootPem, "--no-system-trust", "--timeout", "15", "--log", Path.Combine(_dir, name + "-node.log"), .. extra]);
        Assert.True(run.Code == 0, run.Err + run.Out);

        await using var store = await StoreFactory.OpenAsync(db);
        var census = (await store.FindCensusAsync("aia"))!;
        var report = (await CensusDepthTests.ReportsAsync(store, census.CensusId))[Domain];
        var endpoint = Assert.Single(report.Endpoints);
        Assert.NotNull(endpoint.Certificate?.Walk);
        var stats = await RunCliAsync(["census", "stats", "--store", db, "--json"]);
        Assert.True(stats.Code == 0, stats.Err);
        return (endpoint.Certificate, JsonDocument.Parse(stats.Out).RootElement, run.Out,
            CensusSettings.FromJson(census.SettingsJson).FetchAia);
    }

    private static X509Certificate2 Ca(string subject, RSA key, (X509Certificate2 Cert, RSA Key)? issuer)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var (from, to) = (DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        if (issuer is not { } i)
        {
            return request.CreateSelfSigned(from, to);
        }

        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(i.Cert, true, false));
        return request.Create(i.Cert.SubjectName, X509SignatureGenerator.CreateForRSA(i.Key, RSASignaturePadding.Pkcs1), from, to, new byte[] { 2 });
    }

    /// <summary>The server's certificate for aia.test, issued by the intermediate, naming where its issuer is published.</summary>
    private static X509Certificate2 Leaf(X509Certificate2 intermediate, RSA intermediateKey, string caIssuersUrl)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=" + Domain, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(Domain);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension(null, [caIssuersUrl]));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(intermediate, true, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
        using var cert = request.Create(intermediate.SubjectName, X509SignatureGenerator.CreateForRSA(intermediateKey, RSASignaturePadding.Pkcs1),
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(20), new byte[] { 3 });
        // Through PKCS#12 so the TLS server gets a key it can use (an ephemeral key is not usable by OpenSSL's server on Linux).
        return X509CertificateLoader.LoadPkcs12(cert.CopyWithPrivateKey(key).Export(X509ContentType.Pkcs12), null);
    }
}
