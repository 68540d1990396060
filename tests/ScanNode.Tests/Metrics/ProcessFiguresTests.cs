using System.Globalization;
using System.Text.RegularExpressions;
using XmppScanCluster.ScanNode.Metrics;

namespace XmppScanCluster.ScanNode.Tests.Metrics;

/// <summary>The line a node logs when its census ends: every figure present, and the allocation figure follows what
/// the process allocates.</summary>
public sealed partial class ProcessFiguresTests
{
    [GeneratedRegex(@"^process: ([0-9]+\.[0-9]) MiB allocated, collections gen0 ([0-9]+) gen1 ([0-9]+) gen2 ([0-9]+), GC pause ([0-9]+\.[0-9]{2}) s, JIT ([0-9]+) methods ([0-9]+\.[0-9]{2}) s, CPU ([0-9]+\.[0-9]{2}) s$")]
    private static partial Regex Line();

    [Fact]
    public void Describe_namesEveryFigure_andCountsWhatWasAllocatedSince()
    {
        var before = Line().Match(ProcessFigures.Describe());
        Assert.True(before.Success, ProcessFigures.Describe());

        var kept = new List<byte[]>();
        for (var i = 0; i < 64; i++)
        {
            kept.Add(new byte[256 * 1024]); // 16 MiB in all
        }

        var after = Line().Match(ProcessFigures.Describe());
        Assert.True(after.Success);
        double Figure(Match m, int group) => double.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);
        // Not exact: the imprecise count and the figure's one decimal may each miss a fraction of a MiB.
        Assert.True(Figure(after, 1) - Figure(before, 1) >= 15, $"{before.Value} -> {after.Value}");
        GC.KeepAlive(kept);
        // This test's own code was compiled by the JIT, and the process has used CPU to get here.
        Assert.True(Figure(after, 6) > 0 && Figure(after, 8) > 0, after.Value);
    }
}
