using XmppScanCluster.Coordinator.Dashboard;

namespace XmppScanCluster.Coordinator.Tests.Dashboard;

/// <summary>Throughput from journal timestamps: only the window counts, per node and region, and a young census is
/// divided by its age, not by the whole window.</summary>
public sealed class ActivityWindowTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void EventsOlderThanTheWindow_doNotCount_andTargetsAreCountedPerNodeAndRegion()
    {
        var window = new ActivityWindow(TimeSpan.FromMinutes(2));
        window.Record(Now.AddMinutes(-5), "n1", "eu", targetFinished: true, Now);
        for (var i = 0; i < 6; i++)
        {
            window.Record(Now.AddSeconds(-10 * i), "n1", "eu", targetFinished: i % 2 == 0, Now);
        }

        window.Record(Now.AddSeconds(-1), "n2", "us", targetFinished: true, Now);
        var snapshot = window.Snapshot(Now, Now.AddHours(-1));

        Assert.Equal(TimeSpan.FromMinutes(2), snapshot.Window);
        Assert.Equal(new Throughput(2, 0.06), snapshot.Total);
        Assert.Equal(new Throughput(1.5, 0.05), snapshot.Region("eu"));
        Assert.Equal(new Throughput(0.5, 0.01), snapshot.Node("n2"));
        Assert.Equal(new Throughput(0, 0), snapshot.Node("idle"));
    }

    [Fact]
    public void ACensusThirtySecondsOld_isDividedByThirtySeconds_andOldActivityFadesOut()
    {
        var window = new ActivityWindow(TimeSpan.FromMinutes(2));
        for (var i = 0; i < 10; i++)
        {
            window.Record(Now.AddSeconds(-i), "n1", "eu", targetFinished: true, Now);
        }

        Assert.Equal(new Throughput(20, 0.33), window.Snapshot(Now, Now.AddSeconds(-30)).Total);
        Assert.Equal(new Throughput(0, 0), window.Snapshot(Now.AddMinutes(3), Now.AddSeconds(-30)).Total);
    }
}
