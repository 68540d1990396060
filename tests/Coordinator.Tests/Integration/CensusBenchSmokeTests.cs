using System.Text.RegularExpressions;
using XmppScanCluster.Coordinator.Tests.Support;

namespace XmppScanCluster.Coordinator.Tests.Integration;

/// <summary>
/// bench/census/run.sh at its smallest (two testbed domains, c2s, one run): both depths, scan and census, and
/// — as root, as CI runs — the connection counts that make the CPU comparison fair: at depth full a census makes
/// exactly the connections a scan makes. The capture sees every SYN to the testbed, so this runs alone
/// (<see cref="SoloCollection"/>), after the parallel collections, never beside another test's connections.
/// </summary>
[Collection(SoloCollection.Name)]
public partial class CensusBenchSmokeTests
{
    [GeneratedRegex(@"^\| (session|full) \| (scan|census) \| (\d+|—) \| [0-9.]+ \| [0-9.]+ \|", RegexOptions.Multiline)]
    private static partial Regex Row();

    [Fact]
    public void TinyRun_printsBothDepths_andAFullDepthCensusMakesTheScansConnections()
    {
        SharedTestbed.EnsureUp();
        var output = Path.Combine(Directory.CreateTempSubdirectory("xmppscan-census-bench-").FullName, "table.md");
        var result = ScriptRunner.Run(Path.Combine(RepoPaths.Root, "bench", "census", "run.sh"),
            new Dictionary<string, string> { ["TESTBED_DIR"] = SharedTestbed.Directory }, TimeSpan.FromMinutes(15),
            "--runs", "1", "--mode", "c2s", "--domains", "2", "--no-build", "--out", output);
        Assert.True(result.ExitCode == 0, result.Output);

        var rows = Row().Matches(File.ReadAllText(output)).ToDictionary(m => (m.Groups[1].Value, m.Groups[2].Value), m => m.Groups[3].Value);
        Assert.Equal(4, rows.Count);
        if (rows[("full", "census")] != "—")
        {
            // Counted (root with a working tcpdump, as CI runs).
            Assert.Equal(rows[("full", "scan")], rows[("full", "census")]);
            Assert.True(int.Parse(rows[("full", "census")], System.Globalization.CultureInfo.InvariantCulture) > 10, result.Output);
        }
    }
}
