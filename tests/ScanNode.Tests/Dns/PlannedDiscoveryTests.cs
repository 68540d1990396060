using Microsoft.Extensions.Time.Testing;
using XmppScanCluster.ScanNode.Dns;
using XmppScanCluster.Shared.Dns;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Tests.Dns;

/// <summary>The planner's results handed to the discover step: once each, within their TTL, on a virtual clock.</summary>
public sealed class PlannedDiscoveryTests
{
    [Fact]
    public void Result_isTakenOnce_withinItsTtl_byTheDomainAsTyped()
    {
        var time = new FakeTimeProvider();
        var planned = new PlannedDiscovery(Guid.NewGuid(), time);
        planned.Add(Result("a.example", TimeSpan.FromSeconds(60)));
        time.Advance(TimeSpan.FromSeconds(59));

        Assert.Null(planned.TryTake("a.example", XmppMode.S2S));
        Assert.Equal("a.example", planned.TryTake("A.Example.", XmppMode.C2S)?.Domain);
        // Taken from here once; after that the node looks in the census store (a rescan has dropped it there).
        Assert.Null(planned.TryTake("a.example", XmppMode.C2S));
    }

    [Fact]
    public void Result_pastItsTtl_orWithoutOne_isNotUsed()
    {
        var time = new FakeTimeProvider();
        var planned = new PlannedDiscovery(Guid.NewGuid(), time);
        planned.Add(Result("old.example", TimeSpan.FromSeconds(60)));
        planned.Add(Result("zero.example", TimeSpan.Zero));
        planned.Add(Result("failed.example", null));
        Assert.Equal(1, planned.Count);

        time.Advance(TimeSpan.FromSeconds(60));
        Assert.Null(planned.TryTake("old.example", XmppMode.C2S));
        Assert.Null(planned.TryTake("zero.example", XmppMode.C2S));
        Assert.Null(planned.TryTake("failed.example", XmppMode.C2S));
    }

    private static DiscoveryResult Result(string domain, TimeSpan? validFor) =>
        new(domain, XmppMode.C2S, [], [], false, DnssecStatus.Insecure, []) { ValidFor = validFor };
}
