using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using XmppScanCluster.Coordinator.Clients.Drivers;
using XmppScanCluster.Coordinator.Clients.Matrix;
using XmppScanCluster.Coordinator.Clients.Verdicts;

namespace XmppScanCluster.Coordinator.Clients.Harness;

/// <summary>
/// Runs every selected scenario against every selected driver and mode, inside the sandbox (its own network
/// namespace, resolv.conf and trust store — see <c>deploy/clients/sandbox.sh</c>). Scenarios run in parallel, each
/// on its own address; the runs of one scenario are sequential, so a transcript holds exactly one client.
/// </summary>
public sealed class ClientHarness(string driversDirectory, string workDirectory, string loopbackNet, TimeProvider time, TimeSpan deadline, int parallel)
{
    /// <summary>Every scenario domain ends in this; dnsmasq answers it and nothing else.</summary>
    public const string ZoneSuffix = "harness.test";
    private const string Password = "harness-secret-17";

    /// <summary>How long the sessions of a client that exited get to read its close before they are cancelled.</summary>
    private static readonly TimeSpan SessionDrain = TimeSpan.FromSeconds(10);

    public static IPAddress DnsAddress(string net) => IPAddress.Parse(net + ".0.53");

    public async Task<ClientMatrix> RunAsync(IReadOnlyList<Scenario> scenarios, IReadOnlyList<(ClientDriver Driver, string Version)> drivers,
        IReadOnlyList<string> modes, Func<string, Task> progress, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        using var pki = HarnessCertificates.Create(now);
        await InstallTrustAsync(pki, ct).ConfigureAwait(false);
        var servers = new List<ScenarioServer>();
        try
        {
            for (var i = 0; i < scenarios.Count; i++)
            {
                servers.Add(new ScenarioServer(Setup(scenarios[i], i, pki, now)));
            }

            var conf = Path.Combine(workDirectory, "dnsmasq.conf");
            await File.WriteAllTextAsync(conf, HarnessDns.Zone(servers.Select(s => s.Setup)), ct).ConfigureAwait(false);
            await using var dns = await HarnessDns.StartAsync(conf, DnsAddress(loopbackNet), ct).ConfigureAwait(false);
            var runner = new DriverRunner(driversDirectory, time, deadline, TimeSpan.FromSeconds(1));
            var cells = new System.Collections.Concurrent.ConcurrentBag<MatrixCell>();
            await Parallel.ForEachAsync(servers, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = ct }, async (server, token) =>
            {
                foreach (var (driver, _) in drivers)
                {
                    foreach (var mode in modes)
                    {
                        var cell = await RunOneAsync(server, driver, mode, runner, token).ConfigureAwait(false);
                        cells.Add(cell);
                        await progress($"{server.Setup.Scenario.Id,-24} {driver.Name + "/" + mode,-22} {Verdict.Words(cell.Verdict.Kind)}").ConfigureAwait(false);
                    }
                }
            }).ConfigureAwait(false);

            return new ClientMatrix(now, [.. scenarios], [.. drivers.Select(d => new MatrixClient(d.Driver.Name, d.Driver.Stack, d.Driver.Package, d.Version, d.Driver.Strict))],
                [.. modes], [.. cells.OrderBy(c => c.Client).ThenBy(c => c.Mode).ThenBy(c => c.Scenario)]);
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<MatrixCell> RunOneAsync(ScenarioServer server, ClientDriver driver, string mode, DriverRunner runner, CancellationToken ct)
    {
        var recorder = new WireRecorder();
        var home = Directory.CreateDirectory(Path.Combine(workDirectory, "home", server.Setup.Scenario.Id, driver.Name + "-" + mode)).FullName;
        var result = await VisitAsync(server, 1, driver, mode, runner, recorder, home, ct).ConfigureAwait(false);
        if (server.Setup.Scenario.SecondVisitMechanisms is { } second)
        {
            recorder.Add(new WireEvent(0, WireEventKind.SecondVisit, false, "mechanisms " + string.Join(" ", second)));
            var again = await VisitAsync(server, 2, driver, mode, runner, recorder, home, ct).ConfigureAwait(false);
            result = new ClientProcessResult(again.ExitCode, "first visit:\n" + result.Output + "\nsecond visit:\n" + again.Output);
        }

        var transcript = recorder.Snapshot(server.Setup.Scenario.Id);
        var verdict = VerdictJudge.Judge(server.Setup.Scenario, transcript.Events);
        return new MatrixCell(server.Setup.Scenario.Id, driver.Name, mode, verdict, transcript, result);
    }

    private async Task<ClientProcessResult> VisitAsync(ScenarioServer server, int visit, ClientDriver driver, string mode, DriverRunner runner,
        WireRecorder recorder, string home, CancellationToken ct)
    {
        server.BeginRun(recorder, visit);
        ClientProcessResult? result = null;
        try
        {
            result = await runner.RunAsync(driver, mode, server.Setup.Account, Password, home, recorder, ct).ConfigureAwait(false);
            return result;
        }
        finally
        {
            await server.EndRunAsync(clientExited: result?.ExitCode is not null, time, SessionDrain).ConfigureAwait(false);
        }
    }

    private ScenarioServerSetup Setup(Scenario scenario, int index, HarnessCertificates pki, DateTimeOffset now)
    {
        var domain = scenario.Id + "." + ZoneSuffix;
        var (leaf, chain) = pki.Leaf(scenario.Certificate, domain, now);
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(leaf, new X509Certificate2Collection(chain), offline: true),
            ClientCertificateRequired = false,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
        if (scenario.Tls10Only)
        {
            // Served only because the sandbox gives the harness OPENSSL_CONF at security level 0 (TESTBED-NOTES).
#pragma warning disable SYSLIB0039 // TLS 1.0 is the point of this scenario.
            options.EnabledSslProtocols = SslProtocols.Tls;
#pragma warning restore SYSLIB0039
        }

        return new ScenarioServerSetup(scenario, domain, IPAddress.Parse($"{loopbackNet}.1.{10 + index}"),
            IPAddress.Parse($"{loopbackNet}.2.{10 + index}"), Password, options);
    }

    /// <summary>The sandbox mounted an empty tmpfs on /etc/ssl/certs: the harness CA becomes the clients' only trust anchor.</summary>
    private static async Task InstallTrustAsync(HarnessCertificates pki, CancellationToken ct)
    {
        const string certs = "/etc/ssl/certs";
        await File.WriteAllTextAsync(Path.Combine(certs, "ca-certificates.crt"), pki.TrustedCaPem, ct).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(certs, "xmppscan-harness-ca.pem"), pki.TrustedCaPem, ct).ConfigureAwait(false);
        using var rehash = Process.Start(new ProcessStartInfo("openssl", ["rehash", certs]) { UseShellExecute = false, RedirectStandardError = true })!;
        await rehash.WaitForExitAsync(ct).ConfigureAwait(false);
    }
}
