using XmppScanCluster.ScanNode.Node;

namespace XmppScanCluster.ScanNode.Tests.Node;

/// <summary>The sizing rule of targets in flight (issue 14): the node's default bound from its memory, and per address
/// shard the lanes its addresses can use at the census's connections per address.</summary>
public class InFlightSizingTests
{
    [Theory]
    [InlineData(24L << 30, 1024)] // this machine's 24 GiB: the cap
    [InlineData(1L << 30, 512)] // 1 GiB: 128 MiB at 256 KiB each
    [InlineData(256L << 20, 128)]
    [InlineData(1L << 20, 1)] // never none
    public void DefaultBound_isAnEighthOfTheMemory_at256KiBPerTarget_between1And1024(long bytes, int expected) =>
        Assert.Equal(expected, InFlightSizing.TargetsInFlight(bytes));

    [Fact]
    public void DefaultBound_ofThisProcess_comesFromItsMemory()
    {
        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        Assert.True(available > 0, "the runtime reports no memory limit");
        Assert.Equal(InFlightSizing.TargetsInFlight(available), InFlightSizing.ForThisProcess());
    }

    [Theory]
    [InlineData(2.0, 3)] // the census default: one connecting, two waiting
    [InlineData(0.5, 3)]
    [InlineData(0.2, 4)] // 1 + 0.5 s / 0.2 s, rounded up
    [InlineData(0.1, 6)] // bench/federation's scaled spacing
    [InlineData(0.05, 11)]
    [InlineData(0.01, 16)] // at most 16
    [InlineData(0.0, 16)] // no spacing: only the connections pace the address
    public void LanesPerConnection_coverHalfASecondAwayFromTheGate_between3And16(double spacing, int expected) =>
        Assert.Equal(expected, InFlightSizing.LanesPerConnection(TimeSpan.FromSeconds(spacing)));

    [Theory]
    [InlineData(1, 1, 2.0, 3)] // one address, one connection at a time, default spacing
    [InlineData(0, 1, 2.0, 3)] // unresolved at planning: as one address
    [InlineData(4, 2, 0.1, 48)] // four addresses (a /24 shard), two connections each, six lanes per connection
    [InlineData(1000, 10, 2.0, 1024)] // at most the node's maximum
    public void Lanes_areLanesPerConnection_timesConnectionsPerAddress_timesAddresses(int addresses, int maxPerIp, double spacing, int expected) =>
        Assert.Equal(expected, InFlightSizing.Lanes(addresses, maxPerIp, TimeSpan.FromSeconds(spacing)));
}
