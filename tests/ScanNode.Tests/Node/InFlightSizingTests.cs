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
    [InlineData(1, 1, 3)] // one address, one connection at a time: one connecting, two waiting at its gate
    [InlineData(0, 1, 3)] // unresolved at planning: as one address
    [InlineData(4, 2, 24)]
    [InlineData(1000, 10, 1024)]
    public void Lanes_areThreePerAllowedConnectionPerAddress_atMostTheNodesMax(int addresses, int maxPerIp, int expected) =>
        Assert.Equal(expected, InFlightSizing.Lanes(addresses, maxPerIp));
}
