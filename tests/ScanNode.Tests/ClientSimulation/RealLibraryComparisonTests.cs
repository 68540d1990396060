using System.Text;
using XmppScanCluster.ScanNode.ClientSimulation;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Tests.ClientSimulation.Support;
using XmppScanCluster.ScanNode.Tests.Support.Tls;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.ClientSimulation;
using XmppScanCluster.Shared.Tls;
using Xunit.Abstractions;

namespace XmppScanCluster.ScanNode.Tests.ClientSimulation;

/// <summary>
/// The acceptance test of the simulation: against one real <c>openssl s_server</c> configuration, each real
/// library (through a recording relay) and the simulation of its captured profile must end the same way —
/// same protocol, suite and group, or both refused.
/// </summary>
public class RealLibraryComparisonTests(ITestOutputHelper output)
{
    private const string Sni = "example.test";
    private static readonly ScanLimits Limits = ScanLimits.Default with { ReadTimeout = TimeSpan.FromSeconds(10) };

    /// <summary>Server configurations: name → s_server arguments.</summary>
    public static TheoryData<string, string> Servers => new()
    {
        { "tls12-client-order", "-tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:AES128-SHA" },
        { "tls12-server-order", "-tls1_2 -serverpref -cipher ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES256-SHA384:DHE-RSA-AES256-GCM-SHA384:AES256-SHA" },
        { "tls12-dhe-only", "-tls1_2 -cipher DHE-RSA-AES256-GCM-SHA384:DHE-RSA-AES128-SHA" },
        { "tls12-cbc-p384", "-tls1_2 -serverpref -cipher ECDHE-RSA-AES128-SHA:AES256-SHA256 -groups P-384:P-521:X25519" },
        { "tls13-default", "-tls1_3" },
        { "tls13-chacha-serverpref", "-tls1_3 -serverpref -ciphersuites TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256" },
        { "tls13-p384-retry", "-tls1_3 -groups P-384" },
        { "tls12-13-default", "" },
        { "tls10-only", "-tls1 -cipher ALL:@SECLEVEL=0" },
        { "tls11-static-rsa", "-tls1_1 -cipher AES128-SHA:@SECLEVEL=0" },
        { "tls12-dhe1536", "-tls1_2 -cipher DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-SHA:@SECLEVEL=1 -dhparam {modp1536}" },
    };

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task RealLibraryAndItsSimulation_endTheSameWay(string name, string args)
    {
        using var dir = new TempDir();
        if (args.Contains("{modp1536}", StringComparison.Ordinal))
        {
            args = args.Replace("{modp1536}", await DhParamsAsync(dir.Path, "modp_1536"), StringComparison.Ordinal);
        }

        await using var server = await OpenSslServer.StartAsync(args.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var simulator = new ClientSimulator(new HandshakeProbe(new LoopbackConnectionFactory(server.Port), Limits));
        var table = new StringBuilder($"server {name}: s_server {args}\n");
        var mismatches = new List<string>();
        var compared = 0;

        foreach (var profile in ClientProfileCatalog.All.Where(p => p.Origin == ClientProfileOrigin.Captured))
        {
            if (!RealClients.ByProfile.TryGetValue(profile.Id, out var run)) continue;
            if (RealClients.MissingTool(profile.Id) is { } tool)
            {
                // The real libraries are test requirements (deploy/install-deps.sh): a missing one fails the comparison.
                mismatches.Add($"{profile.Id}: {tool} is not installed (run deploy/install-deps.sh)");
                continue;
            }

            compared++;

            ObservedHandshake real;
            RealClients.Run said;
            await using (var relay = new HandshakeRelay(server.Port))
            {
                said = await run(relay.Port, Sni);
                real = await relay.ObserveAsync(TimeSpan.FromSeconds(10));
            }

            var sim = await simulator.RunAsync(profile, new HelloRewriteOptions(Sni), CancellationToken.None);
            var realLine = Describe(real, said.Completed);
            var simLine = Describe(sim);
            table.AppendLine($"  {profile.Id,-14} real: {realLine,-62} sim: {simLine}");
            if (realLine != simLine)
            {
                mismatches.Add($"{profile.Id}: real {realLine} ({said.Text.Trim().Split('\n')[0]}), simulated {simLine} ({sim.Reason})");
            }

            // The capture is still what the library sends (else: re-run deploy/clientsim/capture.sh).
            var liveOffer = RecordedHelloParser.Parse(real.ClientHello);
            if (liveOffer.IsComplete)
            {
                var recorded = RecordedHelloParser.Parse(profile.HelloRecords()).Value!;
                if (!liveOffer.Value!.Profile.CipherSuites.SequenceEqual(recorded.Profile.CipherSuites))
                {
                    mismatches.Add($"{profile.Id}: the library's suite list differs from the capture; re-run capture.sh");
                }
            }
        }

        output.WriteLine(table.ToString());
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches) + "\n" + table);
        // Every library with a runner was compared: none skipped, none whose captured profile went missing.
        Assert.Equal(RealClients.ByProfile.Count, compared);
    }

    /// <summary>
    /// One comparable line: version, suite, group (TLS 1.3 key share or TLS 1.2 curve), DH bits, retry; or
    /// "failed" when the server refused the real library or the library itself aborted after the ServerHello.
    /// </summary>
    internal static string Describe(ObservedHandshake real, bool libraryCompleted)
    {
        if (real.ServerHello is not { } h || !libraryCompleted) return "failed";
        var version = (TlsVersion)h.NegotiatedVersion;
        var group = version == TlsVersion.Tls13 ? h.KeyShareGroup : real.Flight.ServerKeyExchange?.NamedCurve;
        var dh = real.Flight.ServerKeyExchange is { Kind: ServerKeyExchangeKind.Dhe } ske ? ske.ModulusBits : null;
        return Line(version, h.CipherSuite, group, dh, real.HelloRetry);
    }

    internal static string Describe(ClientSimulationFacts sim) =>
        sim.Outcome == SimulationOutcome.Negotiated
            ? Line(sim.Protocol!.Value, sim.CipherSuite!.Value, sim.Group, sim.DhBits, sim.HelloRetry)
            : sim.Outcome == SimulationOutcome.HandshakeFailed ? "failed" : sim.Outcome.ToString();

    /// <summary>DH parameters of a named RFC group (e.g. <c>modp_1536</c>, RFC 3526 §2) as a PEM file.</summary>
    private static async Task<string> DhParamsAsync(string dir, string group)
    {
        var file = Path.Combine(dir, group + ".pem");
        var psi = new System.Diagnostics.ProcessStartInfo("openssl") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var a in (string[])["genpkey", "-genparam", "-algorithm", "DH", "-pkeyopt", "group:" + group, "-out", file]) psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, await p.StandardError.ReadToEndAsync());
        return file;
    }

    private static string Line(TlsVersion version, ushort suite, ushort? group, int? dhBits, bool retry) =>
        $"{version.Name()} {CipherSuiteRegistry.NameOf(suite)}"
        + (group is { } g ? " " + NamedGroups.NameOf(g) : "")
        + (dhBits is { } b ? $" DH{b}" : "")
        + (retry ? " (HRR)" : "");
}

/// <summary>A temporary directory removed on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("xsc-clientsim-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(Path, true); } catch (IOException) { }
    }
}
