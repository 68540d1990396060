using System.Diagnostics;
using XmppScanCluster.Coordinator.Tests.Support;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.Coordinator.Tests.Json;

/// <summary>
/// Issue 14: the scan and report path run as the real program, whose runtimeconfig switches reflection-based JSON off
/// (this test host cannot: see its csproj). A JsonSerializer call on that path without source-generated metadata
/// would make the process fail with "Reflection-based serialization has been disabled" instead of writing the files.
/// </summary>
[Collection(TestbedCollection.Name)]
public sealed class ProgramJsonTests(TestbedFixture testbed)
{
    private static readonly string Dll = Path.Combine(RepoPaths.Root, "src", "Coordinator", "bin",
        Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd('/'))!), "net10.0", "xmppscan.dll");

    [Fact]
    public async Task ScanAsTheProgram_writesJsonWithProbeFacts_andHtml_withoutReflectionJson()
    {
        var dir = Directory.CreateTempSubdirectory("xmppscan-json-").FullName;
        try
        {
            var address = testbed.Domain("legacy.test").GetProperty("endpoints")[0].GetProperty("address").GetString()!;
            string json = Path.Combine(dir, "scan.json"), html = Path.Combine(dir, "scan.html");
            var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in (string[])[Dll, "scan", "--connect", address, "--dns", testbed.DnsServer, "--trust-anchors", testbed.TrustBundle,
                         "--no-system-trust", "--json", json, "--html", html, "legacy.test"])
            {
                info.ArgumentList.Add(a);
            }

            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(10));
            var output = await stdout + await stderr;

            Assert.True(process.ExitCode == 0, output);
            Assert.DoesNotContain("Reflection", output, StringComparison.Ordinal);
            var report = ResultJson.Deserialize(await File.ReadAllTextAsync(json))!;
            var vulnerabilities = report.Domains.SelectMany(d => d.Endpoints).Select(e => e.Vulnerabilities).OfType<VulnerabilityReport>().ToList();
            Assert.NotEmpty(vulnerabilities);
            Assert.All(vulnerabilities, v => Assert.False(v.Facts<HeartbleedFacts>(HeartbleedCheck.Key)!.Vulnerable));
            Assert.NotEmpty(report.Gradings ?? []);
            Assert.Contains("<th>Heartbleed (CVE-2014-0160)</th><td class=\"yes\">safe", await File.ReadAllTextAsync(html), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
