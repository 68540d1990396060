using System.Globalization;
using System.Text.RegularExpressions;
using XmppScanCluster.Coordinator.Tests.Support;

namespace XmppScanCluster.Coordinator.Tests.Integration;

/// <summary>
/// bench/census-runtime/run.sh --smoke (one run of each part at its smallest): every table row is printed with a
/// figure — journal append/recovery on both runtimes and engines, census overhead at both depths, start-up of a node and
/// of the embedded census, memory per target in flight, and a kill -9 of a cluster node whose targets then complete on
/// a survivor. Nothing is judged on the figures (they are the bench's). Its PostgreSQL, cluster dir and ports are its
/// own per checkout; it runs alone (<see cref="SoloCollection"/>): the overhead part captures every SYN to the testbed.
/// </summary>
[Collection(SoloCollection.Name)]
public partial class CensusRuntimeBenchSmokeTests
{
    private const string Number = @"-?[0-9]+(?:\.[0-9]+)?";

    [GeneratedRegex($@"^\| (sqlite|postgres) \| (Akka\.Persistence\.Sql) \| (append, 1 event per write|append, 50 events per write|recover one stream|read by census \(tag\)) \| (\d+) \| {Number} \| (\d+) \|$", RegexOptions.Multiline)]
    private static partial Regex JournalRow();

    [GeneratedRegex($@"^\| (session|full) \| (scan|census) \| (\d+|—) \| {Number} \| {Number} \|", RegexOptions.Multiline)]
    private static partial Regex OverheadRow();

    [GeneratedRegex($@"^\| (session|full) \| {Number} \| {Number} \| {Number} \| [-+]?\d+ \| \d+ \|$", RegexOptions.Multiline)]
    private static partial Regex PerDomainRow();

    [GeneratedRegex($@"^\| xmppscan (--version|node|census) .*\| {Number} \| (\d+) \|$", RegexOptions.Multiline)]
    private static partial Regex StartupRow();

    [GeneratedRegex($@"^\| (1|4) \| {Number} \| (\d+) \|$", RegexOptions.Multiline)]
    private static partial Regex MemoryRow();

    [GeneratedRegex(@"^\| \*\*per target\*\* .* \*\*-?\d+ KiB\*\*", RegexOptions.Multiline)]
    private static partial Regex PerTargetRow();

    [GeneratedRegex($@"^\| 1 \| node-default-[123] \| (\d+) \| ({Number}) \| ({Number}) \|$", RegexOptions.Multiline)]
    private static partial Regex KillRow();

    [Fact]
    public void SmokeRun_printsEveryRowOfEveryPart()
    {
        SharedTestbed.EnsureUp();
        var hash = (int)(StableHash(RepoPaths.Root) % 400);
        var dir = Directory.CreateTempSubdirectory("xmppscan-runtime-bench-").FullName;
        var output = Path.Combine(dir, "table.md");
        var env = new Dictionary<string, string>
        {
            ["TESTBED_DIR"] = SharedTestbed.Directory,
            // Not under the 0700 temp dir: the server runs as the postgres user. Its own server: the kill part's
            // deploy/cluster/down.sh stops it.
            ["XMPPSCAN_PG_DIR"] = $"/tmp/xmppscan-pg-runtime-bench-{hash}",
            ["XMPPSCAN_PG_PORT"] = (PostgresPorts.RuntimeBench + hash).ToString(CultureInfo.InvariantCulture),
            ["CLUSTER_DIR"] = Path.Combine(dir, "cluster"),
        };
        try
        {
            var result = ScriptRunner.Run(Path.Combine(RepoPaths.Root, "bench", "census-runtime", "run.sh"), env,
                TimeSpan.FromMinutes(25), "--smoke", "--no-build", "--out", output);
            Assert.True(result.ExitCode == 0, result.Output);
            var table = File.ReadAllText(output);

            var journal = JournalRow().Matches(table).Select(m => (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value)).ToHashSet();
            // Two engines × four operations (the store journal it was compared with is deleted, migration 0005).
            Assert.Equal(8, journal.Count);
            Assert.All(JournalRow().Matches(table), m => Assert.NotEqual("0", m.Groups[5].Value));
            Assert.Equal(4, OverheadRow().Matches(table).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).Distinct().Count());
            Assert.Equal(["session", "full"], PerDomainRow().Matches(table).Select(m => m.Groups[1].Value));
            Assert.Equal(["--version", "node", "census"], StartupRow().Matches(table).Select(m => m.Groups[1].Value));
            Assert.All(StartupRow().Matches(table), m => Assert.True(int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) > 0, table));
            Assert.Equal(["1", "4"], MemoryRow().Matches(table).Select(m => m.Groups[1].Value));
            Assert.Matches(PerTargetRow(), table);

            // The killed node had targets in flight and a survivor wrote their next event after the kill.
            var kill = Assert.Single(KillRow().Matches(table));
            Assert.True(int.Parse(kill.Groups[1].Value, CultureInfo.InvariantCulture) > 0, table);
            Assert.True(double.Parse(kill.Groups[2].Value, CultureInfo.InvariantCulture) > 0, table);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }
}
