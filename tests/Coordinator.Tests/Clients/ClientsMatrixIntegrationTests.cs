using System.Diagnostics;
using XmppScanCluster.Coordinator.Clients.Harness;
using XmppScanCluster.Coordinator.Clients.Matrix;
using XmppScanCluster.Coordinator.Clients.Verdicts;
using XmppScanCluster.Coordinator.Tests.Support;
using static XmppScanCluster.Coordinator.Clients.Verdicts.VerdictKind;

namespace XmppScanCluster.Coordinator.Tests.Clients;

/// <summary>
/// `xmppscan clients` end to end: the real command in its sandbox (network namespace, dnsmasq, harness CA), every
/// scenario, two independent real clients (slixmpp — Python; go-sendxmpp — Go) in their default configuration. The
/// verdicts asserted are the ones measured (docs: deploy/clients/README.md); a change in a client package or in the
/// harness that changes one fails here. Needs root and the Debian packages deploy/install-deps.sh installs.
/// </summary>
public sealed class ClientsMatrixIntegrationTests
{
    private static readonly Dictionary<string, (VerdictKind Slixmpp, VerdictKind GoSendxmpp)> Measured = new()
    {
        ["baseline"] = (AuthenticatedOverTls, AuthenticatedOverTls),
        ["starttls-stripped"] = (CredentialsInClear, Refused),
        ["starttls-failure"] = (Refused, Refused),
        ["starttls-optional"] = (AuthenticatedOverTls, AuthenticatedOverTls),
        ["cert-expired"] = (Refused, Refused),
        ["cert-self-signed"] = (Refused, Refused),
        ["cert-unknown-ca"] = (Refused, Refused),
        ["cert-wrong-name"] = (Refused, Refused),
        ["cert-srv-target"] = (Refused, Refused),
        ["cert-srv-id"] = (Refused, Refused),
        ["cert-xmppaddr"] = (Refused, Refused),
        ["cert-sha1"] = (Refused, Refused),
        ["direct-tls-stripped"] = (CredentialsInClear, AuthenticatedOverTls),
        ["tls10-only"] = (Refused, Refused),
        ["sasl-plain-only"] = (AuthenticatedOverTls, AuthenticatedOverTls),
        ["sasl-cb-downgrade-plain"] = (AuthenticatedOverTls, NotApplicable),
        ["sasl-cb-downgrade-scram"] = (AuthenticatedOverTls, NotApplicable),
        ["see-other-host"] = (Refused, Refused),
        ["legacy-auth"] = (ConnectedNoAuth, Refused),
    };

    [Fact]
    public async Task EveryScenario_twoRealClients_giveTheMeasuredVerdicts_andTheMatrixFilesExist()
    {
        var (outDir, output) = await RunAsync("--clients", "slixmpp,go-sendxmpp", "--modes", "default");

        var document = System.Text.Json.JsonSerializer.Deserialize<MatrixDocument>(
            await File.ReadAllTextAsync(Path.Combine(outDir, "matrix.json")), MatrixJson.Options)!;
        Assert.Equal(ScenarioCatalog.All.Count * 2, document.Cells.Count);
        var wrong = new List<string>();
        foreach (var (scenario, (slixmpp, go)) in Measured)
        {
            foreach (var (client, expected) in new[] { ("slixmpp", slixmpp), ("go-sendxmpp", go) })
            {
                var cell = document.Cells.Single(c => c.Scenario == scenario && c.Client == client);
                // A client that neither authenticates nor closes is stopped at the deadline; whether its own timer closed
                // the connection first depends on the machine's load (slixmpp on legacy-auth, go-sendxmpp on a rejected
                // certificate at load average 60). Both mean: no credentials left the client.
                var stalledOrRefused = expected is ConnectedNoAuth or Refused && cell.Verdict is ConnectedNoAuth or Refused;
                if (cell.Verdict != expected && !stalledOrRefused)
                {
                    wrong.Add($"{scenario} {client}: {cell.Verdict}, measured before {expected}");
                }

                // Every cell's evidence is on disk and gives the same verdict when judged again.
                var transcript = MatrixJson.ReadTranscript(await File.ReadAllTextAsync(Path.Combine(outDir, cell.Transcript)));
                Assert.Equal(cell.Verdict, VerdictJudge.Judge(ScenarioCatalog.Find(scenario)!, transcript.Events).Kind);
                Assert.True(File.Exists(Path.Combine(outDir, "transcripts", scenario + "--" + client + "-default.html")));
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong) + "\n" + output);

        // slixmpp 1.8.3 binds with SCRAM-SHA-256-PLUS and tls-unique (even over TLS 1.3, which RFC 9266 forbids); the harness
        // computes the same tls-unique; then it hands over PLAIN, and answers the -PLUS-less SCRAM offer with the "y" flag.
        var plain = document.Cells.Single(c => c.Scenario == "sasl-cb-downgrade-plain" && c.Client == "slixmpp");
        Assert.Equal("first visit: SCRAM-SHA-256-PLUS, tls-unique over Tls13: matches; second visit: PLAIN", plain.ChannelBinding);
        Assert.False(plain.MeetsExpectation);
        var scram = document.Cells.Single(c => c.Scenario == "sasl-cb-downgrade-scram" && c.Client == "slixmpp");
        Assert.EndsWith("second visit: SCRAM-SHA-256 gs2 flag y", scram.ChannelBinding, StringComparison.Ordinal);
        Assert.True(scram.MeetsExpectation);
        Assert.StartsWith("first visit: chose PLAIN", document.Cells.Single(c => c.Scenario == "sasl-cb-downgrade-plain" && c.Client == "go-sendxmpp").ChannelBinding,
            StringComparison.Ordinal);
        Assert.Contains("slixmpp default", await File.ReadAllTextAsync(Path.Combine(outDir, "matrix.txt")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(outDir, "index.html")));
        Directory.Delete(outDir, recursive: true);
    }

    [Fact]
    public async Task Gloox_bindsWithScramSha1Plus_thenIsDowngraded_evenInStrictMode()
    {
        var (outDir, output) = await RunAsync("--clients", "gloox", "--scenarios", "sasl-cb-downgrade-plain,sasl-cb-downgrade-scram");

        var document = System.Text.Json.JsonSerializer.Deserialize<MatrixDocument>(
            await File.ReadAllTextAsync(Path.Combine(outDir, "matrix.json")), MatrixJson.Options)!;
        MatrixCellDocument Cell(string scenario, string mode) => document.Cells.Single(c => c.Scenario == scenario && c.Mode == mode);

        // Measured with libgloox18 1.0.24: -PLUS with tls-unique over TLS 1.2 first; then the password (default) or an
        // abort (strict, no PLAIN), and SCRAM with the flag "n" in both modes — a downgrade the real server cannot see.
        const string first = "first visit: SCRAM-SHA-1-PLUS, tls-unique over Tls12: matches; ";
        Assert.Equal(AuthenticatedOverTls, Cell("sasl-cb-downgrade-plain", "default").Verdict);
        Assert.Equal(first + "second visit: PLAIN", Cell("sasl-cb-downgrade-plain", "default").ChannelBinding);
        Assert.Equal(Refused, Cell("sasl-cb-downgrade-plain", "strict").Verdict);
        foreach (var mode in new[] { "default", "strict" })
        {
            var scram = Cell("sasl-cb-downgrade-scram", mode);
            Assert.Equal(first + "second visit: SCRAM-SHA-1 gs2 flag n", scram.ChannelBinding);
            Assert.False(scram.MeetsExpectation, output);
        }

        Directory.Delete(outDir, recursive: true);
    }

    /// <summary>Runs `xmppscan clients` as a user does (its own sandbox); returns the output directory and what it printed.</summary>
    private static async Task<(string OutDir, string Output)> RunAsync(params string[] selection)
    {
        var outDir = Directory.CreateTempSubdirectory("clients-matrix-").FullName;
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "xmppscan.dll"), "clients", "--out", outDir }
                     .Concat(selection).Concat(["--timeout", "30", "--parallel", "3"]))
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["XMPPSCAN_CLIENT_DRIVERS"] = RepoPaths.Deploy("clients");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(30));
        var output = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, output);
        return (outDir, output);
    }

    [Fact]
    public async Task UnknownClient_isOneLine_andExitCode2()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Environment.SetEnvironmentVariable("XMPPSCAN_CLIENT_DRIVERS", RepoPaths.Deploy("clients"));

        var code = await XmppScanCluster.Coordinator.Cli.CliApp.RunAsync(["clients", "--out", Path.GetTempPath(), "--clients", "no-such-client"],
            stdout, stderr, CancellationToken.None);

        Assert.Equal(2, code);
        Assert.Single(stderr.ToString().Trim().Split('\n'));
        Assert.Contains("unknown driver 'no-such-client'", stderr.ToString(), StringComparison.Ordinal);
    }
}
