using System.Text.RegularExpressions;
using XmppScanCluster.Coordinator.Tests.Support;

namespace XmppScanCluster.Coordinator.Tests.Integration;

/// <summary>
/// bench/dns/run.sh at its smallest (one pass, one round): builds the old DNS engine from its last commit and the
/// DnsClient adapter, runs both against the testbed's dnsmasq — so the comparison keeps working — and checks that
/// both engines asked the same questions and got the same answers (the adapter finds every record the old engine did).
/// </summary>
public sealed partial class DnsBenchSmokeTests
{
    [GeneratedRegex(@"^\| (sequential|parallel) \| (own engine|DnsClient 1\.8\.0) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|$", RegexOptions.Multiline)]
    private static partial Regex Row();

    [Fact]
    public void TinyRun_bothEnginesAskTheSameQuestions_andFindTheSameRecords()
    {
        SharedTestbed.EnsureUp();
        var result = ScriptRunner.Run(Path.Combine(RepoPaths.Root, "bench", "dns", "run.sh"),
            new Dictionary<string, string> { ["TESTBED_DIR"] = SharedTestbed.Directory }, TimeSpan.FromMinutes(15),
            "--passes", "1", "--rounds", "1");
        Assert.True(result.ExitCode == 0, result.Output);

        var rows = Row().Matches(result.Output).ToDictionary(m => (m.Groups[1].Value, m.Groups[2].Value), m => m);
        Assert.Equal(4, rows.Count);
        foreach (var order in new[] { "sequential", "parallel" })
        {
            var old = rows[(order, "own engine")];
            var adapter = rows[(order, "DnsClient 1.8.0")];
            // 17 domains × 4 SRV names at least; then A/AAAA and TLSA of what they name.
            Assert.True(int.Parse(old.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture) > 17 * 4, result.Output);
            Assert.Equal(old.Groups[3].Value, adapter.Groups[3].Value);
            Assert.NotEqual("0", old.Groups[4].Value);
            Assert.Equal(old.Groups[4].Value, adapter.Groups[4].Value);
        }
    }
}
