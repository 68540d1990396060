using XmppScanCluster.Coordinator.Api;
using XmppScanCluster.Coordinator.Store;

namespace XmppScanCluster.Coordinator.Tests.Api;

public sealed class ApiViewsTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TenOfFortyDoneInTenMinutes_isOnePerMinute_andThirtyMinutesLeft()
    {
        var view = ApiViews.Region(new RegionProgress(Region: "eu", TargetsTotal: 40, TargetsPlanned: 40, TargetsDone: 8, TargetsFailed: 2, ShardsPending: 5, ShardsDone: 4), Created, Created.AddMinutes(10));
        Assert.Equal((1.0, 1800.0, 30), (view.TargetsPerMinute, view.EtaSeconds, view.TargetsRemaining));
    }

    [Fact]
    public void NothingFinishedYet_hasNoRateAndNoEta()
    {
        var view = ApiViews.Region(new RegionProgress(Region: "eu", TargetsTotal: 40, TargetsPlanned: 40, TargetsDone: 0, TargetsFailed: 0, ShardsPending: 5, ShardsDone: 0), Created, Created.AddMinutes(10));
        Assert.Equal((null, null), (view.TargetsPerMinute, view.EtaSeconds));
    }

    [Fact]
    public void AllFinished_hasARateButNoEta()
    {
        var view = ApiViews.Region(new RegionProgress(Region: "eu", TargetsTotal: 4, TargetsPlanned: 4, TargetsDone: 3, TargetsFailed: 1, ShardsPending: 0, ShardsDone: 4), Created, Created.AddMinutes(2));
        Assert.Equal((2.0, null), (view.TargetsPerMinute, view.EtaSeconds));
    }

    [Fact]
    public void PausedForHours_thenRunningAgain_theEtaFollowsTheRecentRate_notTheAverageSinceCreation()
    {
        // 10 of 40 done over 10 hours (mostly paused); the last two minutes finished 5 per minute.
        var progress = new RegionProgress(Region: "eu", TargetsTotal: 40, TargetsPlanned: 40, TargetsDone: 10, TargetsFailed: 0, ShardsPending: 5, ShardsDone: 4);
        var average = ApiViews.Region(progress, Created, Created.AddHours(10));
        var recent = ApiViews.Region(progress, Created, Created.AddHours(10), recentTargetsPerMinute: 5);
        Assert.Equal(108000.0, average.EtaSeconds);
        Assert.Equal((5.0, 360.0), (recent.TargetsPerMinute, recent.EtaSeconds));
    }

    [Fact]
    public void NothingFinishedRecently_hasNoEta_evenWithProgressBefore()
    {
        var view = ApiViews.Region(new RegionProgress(Region: "eu", TargetsTotal: 40, TargetsPlanned: 40, TargetsDone: 10, TargetsFailed: 0, ShardsPending: 5, ShardsDone: 4), Created, Created.AddHours(1), recentTargetsPerMinute: 0);
        Assert.Equal((null, null), (view.TargetsPerMinute, view.EtaSeconds));
    }
}
