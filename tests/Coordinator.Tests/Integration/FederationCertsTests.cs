using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace XmppScanCluster.Coordinator.Tests.Integration;

/// <summary>
/// bench/federation's <c>up.sh --certs per-domain</c>: two domains hosted on one server get two certificates, each
/// naming its domain and chaining to the federation's CA, chosen by the SNI a client sends; a name the plan does not
/// have gets the federation's one leaf. What the scanner's per-certificate caches meet in a real federation.
/// </summary>
public sealed class FederationCertsTests
{
    // NET.246.x, the DNS on NET.245.53: beside every other federation the tests and benches start.
    private const string Base = "246";

    private static readonly string Bench = Path.Combine(RepoPaths.Root, "bench", "federation");

    [Fact]
    public async Task PerDomain_eachDomainGetsItsOwnLeaf_bySni_andAnotherNameTheSharedOne()
    {
        var work = Directory.CreateTempSubdirectory("xmppscan-federation-certs-");
        try
        {
            var up = ScriptRunner.Run(Path.Combine(Bench, "up.sh"), null, TimeSpan.FromMinutes(10), work.FullName,
                "--domains", "6", "--addresses", "2", "--seed", "14", "--base", Base, "--workers", "1", "--certs", "per-domain");
            Assert.True(up.ExitCode == 0, up.Output);
            try
            {
                using var plan = JsonDocument.Parse(File.ReadAllText(Path.Combine(work.FullName, "plan.json")));
                var server = plan.RootElement.GetProperty("servers").EnumerateArray()
                    .First(s => s.GetProperty("domains").GetArrayLength() >= 2);
                var address = IPAddress.Parse(server.GetProperty("address").GetString()!);
                var domains = server.GetProperty("domains").EnumerateArray().Select(d => d.GetString()!).Take(2).ToArray();
                var ca = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(work.FullName, "ca.pem")));

                var first = await LeafFor(address, domains[0], ca);
                var second = await LeafFor(address, domains[1], ca);
                var other = await LeafFor(address, "not-in-the-plan.fed.test", ca);

                Assert.Equal("CN=" + domains[0], first.Subject);
                Assert.Equal("CN=" + domains[1], second.Subject);
                Assert.NotEqual(first.Thumbprint, second.Thumbprint);
                Assert.Equal("CN=fed.test", other.Subject);
            }
            finally
            {
                ScriptRunner.Run(Path.Combine(Bench, "down.sh"), null, TimeSpan.FromMinutes(1), work.FullName);
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>The leaf the server's direct-TLS c2s port (XEP-0368, 5223) shows for <paramref name="sni"/>, after checking
    /// that it chains to the federation's CA.</summary>
    private static async Task<X509Certificate2> LeafFor(IPAddress address, string sni, X509Certificate2 ca)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address, 5223, timeout.Token);
        X509Certificate2? leaf = null;
        using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, certificate, _, _) =>
        {
            leaf = X509CertificateLoader.LoadCertificate(certificate!.GetRawCertData());
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(leaf);
        });
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = sni }, timeout.Token);
        return leaf!;
    }
}
