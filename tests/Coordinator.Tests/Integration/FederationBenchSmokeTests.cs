using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using DnsClient;
using DnsClient.Protocol;

namespace XmppScanCluster.Coordinator.Tests.Integration;

/// <summary>
/// bench/federation at its smallest: a federation of 20 domains on 8 loopback addresses (up.sh), checked from
/// outside with real clients — the generator's skew from its plan, every domain's four SRV records and its host's
/// address through DnsClient against the federation's Knot, and on every server STARTTLS (c2s 5222, s2s 5269)
/// and direct TLS (5223, 5270) handshakes by SslStream validated against the federation's CA, each followed by
/// the stream's features over TLS; then run.sh on the same shape prints the federation row and a census row in
/// which every domain was scanned and every endpoint connected. No timing asserts.
/// </summary>
public sealed partial class FederationBenchSmokeTests
{
    private const int Domains = 20;
    private const int Addresses = 8;

    // NET.240.x: beside a federation the bench runs on its default NET.100.x (and the DNS on NET.239.53).
    private const string Base = "240";

    private static readonly string Bench = Path.Combine(RepoPaths.Root, "bench", "federation");

    private static readonly (string Service, int Port, bool DirectTls, string Namespace)[] Ports =
    [
        ("_xmpp-client", 5222, false, "jabber:client"), ("_xmpps-client", 5223, true, "jabber:client"),
        ("_xmpp-server", 5269, false, "jabber:server"), ("_xmpps-server", 5270, true, "jabber:server"),
    ];

    [GeneratedRegex(@"^\| federation \| (\d+) \| (\d+) \| \d+ \|", RegexOptions.Multiline)]
    private static partial Regex FederationRow();

    // | census | depth | mode | spacing | in flight | exit | wall | CPU | RSS | connections | per domain | busiest | its connections
    // | floor | wall/floor | scan | scan/floor | most open | most in flight | busiest's first start, idle, over spacing, mean ms,
    // after its last | done / failed | load |
    [GeneratedRegex(@"^\| census \| session \| both \| [0-9.]+ \| default \| 0 \| [0-9.]+ \| [0-9.]+ \| \d+ \| (\d+) \| [0-9.]+ \| [0-9.]+ \((\d+)\) \| (\d+) \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| \d+ \| (\d+) of \d+ \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| \d+ \| [0-9.]+ \| (\d+) / (\d+) of (\d+) \| [^|]+ \|$", RegexOptions.Multiline)]
    private static partial Regex CensusRow();

    [Fact]
    public async Task TinyFederation_isSkewed_answersSrvForEveryDomain_handshakesOnEveryPort_andTheBenchPrintsItsRows()
    {
        var work = Directory.CreateTempSubdirectory("xmppscan-federation-");
        try
        {
            var up = ScriptRunner.Run(Path.Combine(Bench, "up.sh"), null, TimeSpan.FromMinutes(10), work.FullName,
                "--domains", $"{Domains}", "--addresses", $"{Addresses}", "--seed", "14", "--base", Base);
            Assert.True(up.ExitCode == 0, up.Output);
            try
            {
                var servers = ReadPlan(Path.Combine(work.FullName, "plan.json"));
                AssertSkewed(servers);
                var dns = File.ReadAllLines(Path.Combine(work.FullName, "federation.env"))
                    .Single(l => l.StartsWith("FED_DNS=", StringComparison.Ordinal))["FED_DNS=".Length..].Split(':');
                await AssertSrvForEveryDomain(servers, new IPEndPoint(IPAddress.Parse(dns[0]), int.Parse(dns[1], CultureInfo.InvariantCulture)));
                var ca = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(work.FullName, "ca.pem")));
                foreach (var server in servers)
                {
                    foreach (var port in Ports)
                    {
                        await AssertHandshake(server, port, ca);
                    }
                }
            }
            finally
            {
                ScriptRunner.Run(Path.Combine(Bench, "down.sh"), null, TimeSpan.FromMinutes(1), work.FullName);
            }

            var run = ScriptRunner.Run(Path.Combine(Bench, "run.sh"), null, TimeSpan.FromMinutes(15),
                "--domains", $"{Domains}", "--addresses", $"{Addresses}", "--seed", "14", "--base", Base, "--spacing", "0.1",
                "--out", Path.Combine(work.FullName, "run"));
            Assert.True(run.ExitCode == 0, run.Output);
            var federation = FederationRow().Match(run.Output);
            Assert.True(federation.Success, run.Output);
            Assert.Equal($"{Domains}", federation.Groups[1].Value);
            Assert.Equal($"{Addresses}", federation.Groups[2].Value);
            var census = CensusRow().Match(run.Output);
            Assert.True(census.Success, run.Output);
            // Every domain done, none failed; at depth session each of a domain's four endpoints at least once,
            // counted by the servers; the busiest address hosts the largest server's domains.
            Assert.Equal(($"{Domains}", "0", $"{Domains}"), (census.Groups[5].Value, census.Groups[6].Value, census.Groups[7].Value));
            // The node logged the most targets it had in flight, and the busiest address's timeline came from the connection log.
            Assert.InRange(int.Parse(census.Groups[4].Value, CultureInfo.InvariantCulture), 1, Domains);
            Assert.True(int.Parse(census.Groups[1].Value, CultureInfo.InvariantCulture) >= 4 * Domains, census.Value);
            Assert.True(int.Parse(census.Groups[3].Value, CultureInfo.InvariantCulture) >= 4 * int.Parse(census.Groups[2].Value, CultureInfo.InvariantCulture), census.Value);
            Assert.True(File.Exists(Path.Combine(work.FullName, "run", "table.md")), run.Output);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private sealed record Server(string Host, IPAddress Address, string Profile, int Rank, string[] Domains);

    private static List<Server> ReadPlan(string file)
    {
        using var plan = JsonDocument.Parse(File.ReadAllText(file));
        return [.. plan.RootElement.GetProperty("servers").EnumerateArray().Select(s => new Server(
            s.GetProperty("host").GetString()!, IPAddress.Parse(s.GetProperty("address").GetString()!),
            s.GetProperty("profile").GetString()!, s.GetProperty("rank").GetInt32(),
            [.. s.GetProperty("domains").EnumerateArray().Select(d => d.GetString()!)]))];
    }

    /// <summary>Zipf-shaped hosting: every domain on exactly one server, sizes falling with rank, the largest
    /// server well above the mean and a tail of one-domain servers, every address distinct and on loopback.</summary>
    private static void AssertSkewed(List<Server> servers)
    {
        Assert.Equal(Addresses, servers.Count);
        var all = servers.SelectMany(s => s.Domains).ToList();
        Assert.Equal(Domains, all.Count);
        Assert.Equal(Domains, all.Distinct(StringComparer.Ordinal).Count());
        var byRank = servers.OrderBy(s => s.Rank).Select(s => s.Domains.Length).ToList();
        Assert.True(Enumerable.Range(1, byRank.Count - 1).All(i => byRank[i - 1] >= byRank[i]), string.Join(",", byRank));
        Assert.True(byRank[0] >= 2 * Domains / Addresses, string.Join(",", byRank));
        Assert.Contains(1, byRank);
        Assert.Equal(Addresses, servers.Select(s => s.Address).Distinct().Count());
        Assert.All(servers, s => Assert.Equal(127, s.Address.GetAddressBytes()[0]));
    }

    private static async Task AssertSrvForEveryDomain(List<Server> servers, IPEndPoint dns)
    {
        var client = new LookupClient(new LookupClientOptions(new NameServer(dns)) { UseCache = false, Timeout = TimeSpan.FromSeconds(10), Retries = 3 });
        foreach (var server in servers)
        {
            var a = await client.QueryAsync(server.Host, QueryType.A);
            Assert.Equal(server.Address, Assert.Single(a.Answers.OfType<ARecord>()).Address);
            foreach (var domain in server.Domains)
            {
                foreach (var (service, port, _, _) in Ports)
                {
                    var name = $"{service}._tcp.{domain}";
                    var srv = Assert.Single((await client.QueryAsync(name, QueryType.SRV)).Answers.OfType<SrvRecord>());
                    Assert.Equal((server.Host + ".", port), (srv.Target.Value, (int)srv.Port));
                }
            }
        }
    }

    /// <summary>One connection as a client would make it: STARTTLS (features, starttls, proceed) or TLS first,
    /// the handshake validated against the federation's CA for the hosted domain, then the stream's features.</summary>
    private static async Task AssertHandshake(Server server, (string Service, int Port, bool DirectTls, string Namespace) port, X509Certificate2 ca)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var ct = timeout.Token;
        var domain = server.Domains[0];
        var where = $"{server.Host} ({server.Profile}) {server.Address}:{port.Port}";
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Address, port.Port, ct);
        Stream stream = tcp.GetStream();
        var header = $"<?xml version='1.0'?><stream:stream xmlns='{port.Namespace}' xmlns:stream='http://etherx.jabber.org/streams' to='{domain}' version='1.0'>";
        if (!port.DirectTls)
        {
            await Send(stream, header, ct);
            Assert.Contains("<starttls", await ReadUntil(stream, "</stream:features>", ct), StringComparison.Ordinal);
            await Send(stream, "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", ct);
            Assert.Contains("<proceed", await ReadUntil(stream, "/>", ct), StringComparison.Ordinal);
        }

        using var tls = new SslStream(stream, leaveInnerStreamOpen: false, (_, certificate, _, errors) =>
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            // Name mismatch is the only error the system store's verdict may add that ours does not judge.
            return certificate is X509Certificate2 leaf && chain.Build(leaf)
                && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0;
        });
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = domain }, ct);
        Assert.True(tls.IsAuthenticated, where);
        await Send(tls, header, ct);
        var features = await ReadUntil(tls, "</stream:features>", ct);
        Assert.True(features.Contains("<mechanisms", StringComparison.Ordinal) && !features.Contains("<starttls", StringComparison.Ordinal), $"{where}: {features}");
        Assert.Contains($"xmlns='{port.Namespace}'", features, StringComparison.Ordinal);
    }

    private static Task Send(Stream stream, string text, CancellationToken ct) => stream.WriteAsync(Encoding.UTF8.GetBytes(text), ct).AsTask();

    /// <summary>What the server sends until <paramref name="end"/> (accumulated over reads, at most 64 KiB).</summary>
    private static async Task<string> ReadUntil(Stream stream, string end, CancellationToken ct)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        while (!text.ToString().Contains(end, StringComparison.Ordinal))
        {
            int n = await stream.ReadAsync(buffer, ct);
            Assert.True(n > 0 && text.Length < 65536, $"closed or too long before {end}: {text}");
            text.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }

        return text.ToString();
    }
}
