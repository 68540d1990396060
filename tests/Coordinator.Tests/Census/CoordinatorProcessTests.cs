using System.Diagnostics;
using XmppScanCluster.Coordinator.Cli;
using XmppScanCluster.Coordinator.Store;

namespace XmppScanCluster.Coordinator.Tests.Census;

/// <summary><c>xmppscan coordinator</c> as a real process: serves <c>ctl</c> and the dashboard, refuses a wildcard address without a token,
/// and exits 0 on SIGTERM.</summary>
[Collection(CensusCollection.Name)]
public sealed class CoordinatorProcessTests(CensusTestbed testbed) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("xmppscan-coordinator-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task CoordinatorProcess_servesCtl_andStopsOnSigterm()
    {
        var db = "sqlite:" + Path.Combine(_dir, "c.db");
        await using (var store = await StoreFactory.OpenAsync(db))
        {
            await store.CreateCensusAsync(new CensusDefinition("proc", "{}", "ssllabs-2009r", ["default"]));
        }

        using (var refused = testbed.Start(_dir, "refused", "coordinator", "--store", db, "--listen", "0.0.0.0:0"))
        {
            Assert.True(refused.WaitForExit(30_000));
            Assert.Equal(ExitCodes.Usage, refused.ExitCode);
            Assert.Contains("needs a token", await File.ReadAllTextAsync(Path.Combine(_dir, "refused.err")), StringComparison.Ordinal);
        }

        using var process = testbed.Start(_dir, "coordinator", "coordinator", "--store", db, "--listen", "127.0.0.1:0");
        try
        {
            var outFile = Path.Combine(_dir, "coordinator.out");
            string? url = null;
            await CensusTestbed.WaitUntilAsync(async () =>
            {
                var line = File.Exists(outFile) ? (await File.ReadAllLinesAsync(outFile)).FirstOrDefault(l => l.StartsWith("coordinator listening on ", StringComparison.Ordinal)) : null;
                url = line?["coordinator listening on ".Length..];
                return url is not null;
            }, TimeSpan.FromSeconds(30), "the coordinator's address");

            using var stdout = new StringWriter();
            Assert.Equal(0, await CliApp.RunAsync(["ctl", "--coordinator", url!, "census", "list"], stdout, TextWriter.Null, CancellationToken.None));
            Assert.Contains("proc", stdout.ToString(), StringComparison.Ordinal);
            Assert.Contains($"live dashboard: {url}/dashboard", await File.ReadAllTextAsync(outFile), StringComparison.Ordinal);
            using (var http = new HttpClient())
            {
                Assert.Contains("<span id=\"census-name\">proc</span>", await http.GetStringAsync(url + "/dashboard"), StringComparison.Ordinal);
            }

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            Assert.True(process.WaitForExit(30_000), "the coordinator did not stop on SIGTERM");
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited) process.Kill();
        }
    }
}
