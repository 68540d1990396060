using XmppScanCluster.Coordinator.Dashboard;

namespace XmppScanCluster.Coordinator.Tests.Dashboard;

/// <summary>The statistics throttle: cheap statistics are always recomputed, expensive ones at most once per ten times their cost.</summary>
public sealed class StatisticsThrottleTests
{
    [Theory]
    [InlineData(5, 0, true)]
    [InlineData(50, 1, true)]
    [InlineData(200, 100, false)]
    [InlineData(200, 1999, false)]
    [InlineData(200, 2000, true)]
    public void MayRecompute_onlyWhenCheapOrTenTimesTheCostHasPassed(int costMs, int sinceMs, bool expected) =>
        Assert.Equal(expected, LiveCensus.MayRecompute(TimeSpan.FromMilliseconds(costMs), TimeSpan.FromMilliseconds(sinceMs)));
}
