using System.Text.RegularExpressions;
using XmppScanCluster.Coordinator.Tests.Support;

namespace XmppScanCluster.Coordinator.Tests.Integration;

/// <summary>
/// bench/startup/run.sh with one run: publishes ReadyToRun (what scan and census load) and Native AOT, then times
/// xmppscan three ways, nmap and sslscan against modern.test. Checks every row is there and each tool exited, that the
/// xmppscan scans wrote their results, that the ReadyToRun publish precompiled our assemblies and the census's (Akka.NET,
/// linq2db) and left LanguageExt as IL, that the JIT summary counts the framework-dependent build's methods, and that the
/// AOT build refuses the census with one line. No timing is asserted: the figures are the bench's.
/// </summary>
[Collection(TestbedCollection.Name)]
public sealed partial class StartupBenchSmokeTests(TestbedFixture testbed)
{
    [GeneratedRegex(@"^\| (.+?) \| 1 \| ([0-9.]+) \| ([0-9.]+) \| (\d+) \|$", RegexOptions.Multiline)]
    private static partial Regex Row();

    [Fact]
    public void OneRun_printsEveryToolsRow_andPublishesWhatScanAndCensusLoadReadyToRun()
    {
        var output = Directory.CreateTempSubdirectory("xmppscan-startup-");
        try
        {
            var result = ScriptRunner.Run(Path.Combine(RepoPaths.Root, "bench", "startup", "run.sh"),
                new Dictionary<string, string> { ["TESTBED_DIR"] = testbed.Directory, ["BENCH_TIMEOUT"] = "30" },
                TimeSpan.FromMinutes(60), "--runs", "1", "--out", output.FullName);
            Assert.True(result.ExitCode == 0, result.Output);

            var rows = Row().Matches(result.Output).ToDictionary(m => m.Groups[1].Value, m => m.Groups[4].Value);
            string[] tools =
            [
                "xmppscan --version (framework-dependent)", "xmppscan --version (ReadyToRun)", "xmppscan --version (Native AOT)",
                "xmppscan scan (framework-dependent)", "xmppscan scan (ReadyToRun)", "xmppscan scan (Native AOT)",
                "nmap ssl-enum-ciphers", "sslscan",
            ];
            foreach (var tool in tools) Assert.True(rows.ContainsKey(tool), tool + " missing:\n" + result.Output);
            Assert.Equal("0", rows["xmppscan --version (ReadyToRun)"]);
            Assert.Equal("0", rows["xmppscan --version (Native AOT)"]);
            Assert.Equal(rows["xmppscan scan (framework-dependent)"], rows["xmppscan scan (Native AOT)"]);
            Assert.Equal("0", rows["nmap ssl-enum-ciphers"]);
            Assert.True(File.Exists(Path.Combine(output.FullName, "xmppscan.json")), result.Output);
            Assert.True(File.Exists(Path.Combine(output.FullName, "xmppscan-r2r.json")), result.Output);
            Assert.True(File.Exists(Path.Combine(output.FullName, "xmppscan-aot.json")), result.Output);

            Assert.Contains("r2r: xmppscan.dll ReadyToRun", result.Output, StringComparison.Ordinal);
            Assert.Contains("r2r: XmppScanCluster.ScanNode.dll ReadyToRun", result.Output, StringComparison.Ordinal);
            Assert.Contains("r2r: LanguageExt.Core.dll IL", result.Output, StringComparison.Ordinal);
            Assert.Contains("r2r: Akka.dll ReadyToRun", result.Output, StringComparison.Ordinal);
            Assert.Contains("r2r: Akka.Persistence.Sql.dll ReadyToRun", result.Output, StringComparison.Ordinal);
            Assert.Contains("r2r: linq2db.dll ReadyToRun", result.Output, StringComparison.Ordinal);

            Assert.Matches(@"jit: framework-dependent: [1-9]\d* methods compiled at run time", result.Output);
            Assert.Contains("aot: census exit 2: xmppscan census: not available in the Native AOT build", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }
}
