using System.Diagnostics;
using System.Globalization;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Shared.Certificates;
using XmppScanCluster.Shared.Dns;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;
using XmppScanCluster.Shared.Xmpp;
using R = XmppScanCluster.Coordinator.Tests.Aggregation.Reports;

namespace XmppScanCluster.SiteBench;

/// <summary>
/// A synthetic census with the shape of a real one (IM Observatory proportions, roughly): per domain a c2s and an
/// s2s result, 1–2 SRV targets, a direct TLS endpoint for some, full suite lists per protocol, a spread of key
/// types, trust problems and legacy protocols, some domains not answering and some sharing a hosting key. Written
/// as a node writes it — a census, its targets, one domain_scan_completed event per result — through the store
/// API, so <c>xmppscan report</c> reads it the way it reads a real census.
/// </summary>
internal static class CensusGenerator
{
    public static async Task<int> RunAsync(string[] args)
    {
        var domains = int.Parse(Arg(args, "--domains") ?? "10000", CultureInfo.InvariantCulture);
        var storePath = Arg(args, "--store") ?? throw new ArgumentException("--store PATH needed");
        var random = new Random(int.Parse(Arg(args, "--seed") ?? "8", CultureInfo.InvariantCulture));
        var clock = Stopwatch.StartNew();
        await using var store = await StoreFactory.OpenAsync("sqlite:" + storePath);
        var census = await store.CreateCensusAsync(new CensusDefinition($"bench-{domains}", "{}", "ssllabs-2009r", ["default"]));
        var names = Enumerable.Range(0, domains).Select(i => Name(i, random)).Distinct().ToList();
        var targets = (await store.AddTargetsAsync(census.CensusId, names)).Added;
        var batch = new List<EventEnvelope>(512);
        var events = 0;
        foreach (var target in targets)
        {
            var origin = new EventOrigin(census.CensusId, TargetStreams.For(target.TargetId, "default"), "bench", "default");
            var sequence = 0;
            foreach (var mode in (XmppMode[])[XmppMode.C2S, XmppMode.S2S])
            {
                batch.Add(EventTypeRegistry.Default.Create(new DomainScanCompleted(Report(target.Domain, mode, random)), origin, ++sequence, DateTimeOffset.UtcNow));
            }

            if (batch.Count >= 500)
            {
                await store.Events.AppendAsync(batch);
                events += batch.Count;
                batch.Clear();
            }
        }

        await store.Events.AppendAsync(batch);
        events += batch.Count;
        await store.SetCensusStateAsync(census.CensusId, CensusState.Completed);
        Console.WriteLine($"generated census {census.Name}: {targets.Count} domains, {events} results in {clock.Elapsed.TotalSeconds:0.0} s "
            + $"({new FileInfo(storePath).Length / 1e6:0} MB)");
        return 0;
    }

    private static readonly string[] Words = ["jabber", "xmpp", "chat", "im", "talk", "mail", "conversations", "prosody", "home", "team"];
    private static readonly string[] Tlds = ["org", "net", "de", "fr", "nl", "im", "eu", "ru", "com", "se"];

    private static readonly string[] Issuers =
    [
        "CN=R11,O=Let's Encrypt,C=US", "CN=R10,O=Let's Encrypt,C=US", "CN=E5,O=Let's Encrypt,C=US",
        "CN=Sectigo RSA Domain Validation Secure Server CA,O=Sectigo Limited,L=Salford,ST=Greater Manchester,C=GB",
        "CN=GeoTrust TLS RSA CA G1,OU=www.digicert.com,O=DigiCert Inc,C=US", "CN=StartCom Class 1 Primary Intermediate Server CA,O=StartCom Ltd.,C=IL",
    ];

    private static string Name(int i, Random random) =>
        $"{Words[random.Next(Words.Length)]}{i.ToString(CultureInfo.InvariantCulture)}.{Words[random.Next(Words.Length)]}.{Tlds[random.Next(Tlds.Length)]}";

    private static AcceptedSuite Suite(string name, string kx) =>
        CipherSuiteRegistry.TryGetByName(name, out var s) ? new AcceptedSuite(s.Code, s.IanaName, s.KeyBits, s.ForwardSecrecy, s.IsAead, kx)
        : throw new ArgumentException(name);

    private static readonly AcceptedSuite[] Modern =
    [
        Suite("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "ECDH x25519"), Suite("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "ECDH x25519"),
        Suite("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDH x25519"), Suite("TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", "DH 2048"),
    ];

    private static readonly AcceptedSuite[] Legacy =
    [
        Suite("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "ECDH secp256r1"), Suite("TLS_RSA_WITH_AES_128_CBC_SHA", "RSA"),
        Suite("TLS_RSA_WITH_AES_256_CBC_SHA", "RSA"), Suite("TLS_RSA_WITH_3DES_EDE_CBC_SHA", "RSA"),
    ];

    private static readonly AcceptedSuite[] Weak = [Suite("TLS_RSA_WITH_RC4_128_SHA", "RSA"), Suite("TLS_RSA_EXPORT_WITH_RC4_40_MD5", "RSA 512")];

    /// <summary>One result; the domain's own random choices are seeded from its name so both modes agree on the server.</summary>
    private static DomainReport Report(string domain, XmppMode mode, Random random)
    {
        var server = new Random(domain.GetHashCode(StringComparison.Ordinal));
        if (random.NextDouble() < 0.08)
        {
            return R.NoService(domain) with { Mode = mode };
        }

        var roll = server.NextDouble();
        string[] protocols = roll < 0.03 ? ["SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2"] : roll < 0.25 ? ["TLSv1.0", "TLSv1.1", "TLSv1.2"]
            : roll < 0.45 ? ["TLSv1.2"] : ["TLSv1.2", "TLSv1.3"];
        AcceptedSuite[] suites = roll < 0.05 ? [.. Modern, .. Legacy, .. Weak] : roll < 0.3 ? [.. Modern, .. Legacy] : Modern;
        var (key, bits) = server.NextDouble() switch { < 0.03 => (KeyAlgorithm.Rsa, 1024), < 0.15 => (KeyAlgorithm.Ec, 256), < 0.25 => (KeyAlgorithm.Rsa, 4096), _ => (KeyAlgorithm.Rsa, 2048) };
        var trustRoll = server.NextDouble();
        TrustProblem[] trust = trustRoll switch
        {
            < 0.06 => [TrustProblem.Expired], < 0.11 => [TrustProblem.SelfSignedLeaf], < 0.14 => [TrustProblem.UnknownIssuer],
            < 0.16 => [TrustProblem.IncompleteChain], _ => [],
        };
        var nameMatches = server.NextDouble() >= 0.04;
        var required = server.NextDouble() < 0.75;
        var issuer = trust is [TrustProblem.SelfSignedLeaf] ? "CN=" + domain : Issuers[server.Next(Issuers.Length)];
        // A few hosting providers serve many domains with one key.
        var spki = server.NextDouble() < 0.05 ? $"hosting-{server.Next(20)}" : null;
        var targets = server.NextDouble() < 0.3 ? 2 : 1;
        var port = mode == XmppMode.C2S ? 5222 : 5269;
        var endpoints = new List<EndpointReport>();
        for (var t = 0; t < targets; t++)
        {
            var address = $"198.51.{server.Next(256)}.{server.Next(256)}";
            var host = $"xmpp{t}.{domain}";
            endpoints.Add(R.Endpoint(domain, address, port, TlsTransport.StartTls, required ? StartTlsSupport.Required : StartTlsSupport.Offered,
                protocols, suites, trust, nameMatches, key, bits, spki, required || server.NextDouble() < 0.9 ? [] : ["PLAIN"], issuer, host));
            if (mode == XmppMode.C2S && server.NextDouble() < 0.2)
            {
                endpoints.Add(R.Endpoint(domain, address, 5223, TlsTransport.DirectTls, StartTlsSupport.Required, protocols, suites, trust, nameMatches,
                    key, bits, spki, [], issuer, host));
            }
        }

        return new DomainReport(domain, mode, ProbeStatus.Completed, null,
            new DnsReport([.. endpoints.Select(e => new SrvRecord(mode == XmppMode.C2S ? "_xmpp-client._tcp." + domain : "_xmpp-server._tcp." + domain, 0, 5, (ushort)e.Port, e.Target, 3600))],
                false, false, DnssecStatus.Insecure, []),
            endpoints);
    }

    private static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
