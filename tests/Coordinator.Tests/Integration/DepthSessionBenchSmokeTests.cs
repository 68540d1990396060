using System.Globalization;
using System.Text.RegularExpressions;

namespace XmppScanCluster.Coordinator.Tests.Integration;

/// <summary>
/// bench/depth-session/run.sh --smoke --r2r: the federation of 20 domains on 8 addresses (bench/federation/up.sh, its
/// own --base), censused at depth session with 4 and then 16 targets in flight by the published tool (ReadyToRun, Akka.NET
/// and the journal precompiled too: the census must run from those images). Every census row must show all 20 domains
/// done and all 80 endpoints (20 × c2s and s2s × STARTTLS and direct TLS) with a completed session in the journal, the
/// node's most targets in flight within what was asked, and a CPU figure for the census and the servers; the memory
/// table compares the two, and the runtime table shows what each process allocated, compiled and spent (the node's own
/// count). Nothing is judged on the figures (they are the bench's).
/// </summary>
public sealed partial class DepthSessionBenchSmokeTests
{
    private const string Number = @"[0-9]+(?:\.[0-9]+)?";

    [GeneratedRegex(@"^\| federation \| 20 \| 8 \| 80 \|", RegexOptions.Multiline)]
    private static partial Regex FederationRow();

    // | in flight | most in flight | exit | done / failed | endpoints (completed) | wall | CPU | per CPU s | scan s | scan CPU
    // | per scan CPU s | per wall s | RSS | servers | knotd | load |
    [GeneratedRegex($@"^\| (\d+) \| (\d+) of (\d+) \| (\d+) \| (\d+) / (\d+) of (\d+) \| (\d+) \((\d+)\) \| {Number} \| ({Number}) \| \*\*(\d+)\*\* \| {Number} \| ({Number}) \| (\d+) \| \d+ \| (\d+) \| ({Number}) \| {Number} \| [^|]+ \|$", RegexOptions.Multiline)]
    private static partial Regex CensusRow();

    [GeneratedRegex(@"^\| 4: \d+, \d+ \| 16: \d+, \d+ \| (-?\d+|-) \|$", RegexOptions.Multiline)]
    private static partial Regex MemoryRow();

    // | in flight | allocated MiB | KiB per endpoint | gen0 / gen1 / gen2 | GC pause s | JIT methods | JIT s | CPU s |
    [GeneratedRegex($@"^\| (4|16) \| (\d+) \| \*\*(\d+)\*\* \| \d+ / \d+ / \d+ \| {Number} \| (\d+) \| {Number} \| ({Number}) \|$", RegexOptions.Multiline)]
    private static partial Regex RuntimeRow();

    [Fact]
    public void SmokeRunOfThePublishedTool_everyEndpointHasASession_inBothCensuses_andEveryFigureIsPrinted()
    {
        var dir = Directory.CreateTempSubdirectory("xmppscan-depth-bench-");
        try
        {
            var run = ScriptRunner.Run(Path.Combine(RepoPaths.Root, "bench", "depth-session", "run.sh"), null,
                TimeSpan.FromMinutes(15), "--smoke", "--r2r", "--out", dir.FullName);
            Assert.True(run.ExitCode == 0, run.Output);
            Assert.Contains($"xmppscan: {Path.Combine(dir.FullName, "r2r", "xmppscan.dll")}", run.Output, StringComparison.Ordinal);
            Assert.Matches(FederationRow(), run.Output);
            var rows = CensusRow().Matches(run.Output);
            Assert.True(rows.Select(r => r.Groups[1].Value).SequenceEqual(["4", "16"]), run.Output);
            foreach (Match row in rows)
            {
                int Value(int group) => int.Parse(row.Groups[group].Value, CultureInfo.InvariantCulture);
                Assert.True(Value(4) == 0, row.Value);
                Assert.Equal((20, 0, 20), (Value(5), Value(6), Value(7)));
                Assert.Equal((80, 80), (Value(8), Value(9)));
                // The node logged its peak: at least one target, never more than asked.
                Assert.InRange(Value(2), 1, Value(1));
                Assert.Equal(Value(1), Value(3));
                // CPU of the whole process and of the scan alone (from the samples between the feeder's start and the end).
                Assert.True(double.Parse(row.Groups[10].Value, CultureInfo.InvariantCulture) > 0, row.Value);
                Assert.True(double.Parse(row.Groups[12].Value, CultureInfo.InvariantCulture) > 0, row.Value);
                Assert.True(Value(11) > 0 && Value(13) > 0 && Value(14) > 0, row.Value);
                // The servers did the 80 handshakes: their CPU is counted (the ticks of the Python workers).
                Assert.True(double.Parse(row.Groups[15].Value, CultureInfo.InvariantCulture) > 0, row.Value);
            }

            Assert.Matches(MemoryRow(), run.Output);
            // The node logged what its process spent: memory allocated per endpoint, JIT compilations, CPU.
            var runtime = RuntimeRow().Matches(run.Output);
            Assert.True(runtime.Select(r => r.Groups[1].Value).SequenceEqual(["4", "16"]), run.Output);
            Assert.All(runtime, r => Assert.True(int.Parse(r.Groups[3].Value, CultureInfo.InvariantCulture) > 0
                && int.Parse(r.Groups[4].Value, CultureInfo.InvariantCulture) > 0
                && double.Parse(r.Groups[5].Value, CultureInfo.InvariantCulture) > 0, r.Value));
            Assert.True(File.Exists(Path.Combine(dir.FullName, "table.md")), run.Output);
            // down.sh ran: nothing of the federation is left (its pids file is removed once every process is gone).
            Assert.False(File.Exists(Path.Combine(dir.FullName, "work", "pids")), run.Output);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
