using XmppScanCluster.ScanNode.Assessment;

namespace XmppScanCluster.ScanNode.Tests.Assessment;

/// <summary>
/// The turn table behind the shared vulnerability probes and client simulation (issue 14): one endpoint of a service runs
/// a slot while the others wait for it, a published result is reused, and a result that could not be published (the probe
/// failed, was throttled or cancelled) hands the turn to the next waiter instead of leaving it waiting forever.
/// </summary>
public sealed class FollowUpSharesTests
{
    [Fact]
    public async Task FirstTakesTheTurn_othersWaitForIt_thenReuseWhatItPublished()
    {
        var shares = new FollowUpShares();
        var first = await shares.TakeAsync<string>("heartbleed|service", CancellationToken.None);
        Assert.True(first.Running);
        Assert.Null(first.Shared);

        var second = shares.TakeAsync<string>("heartbleed|service", CancellationToken.None);
        var third = shares.TakeAsync<string>("heartbleed|service", CancellationToken.None);
        Assert.False(second.IsCompleted);
        Assert.False(third.IsCompleted);

        shares.End("heartbleed|service", "facts of the first");
        Assert.Equal(new FollowUpTurn<string>("facts of the first", false), await second);
        Assert.Equal(new FollowUpTurn<string>("facts of the first", false), await third);
        // Another key is another slot: its own turn.
        Assert.True((await shares.TakeAsync<string>("compression|port=5222", CancellationToken.None)).Running);
    }

    [Fact]
    public async Task TurnEndedWithoutAResult_theNextWaiterRunsIt_andPublishesForTheRest()
    {
        var shares = new FollowUpShares();
        Assert.True((await shares.TakeAsync<string>("robot|leaves=ab", CancellationToken.None)).Running);
        var second = shares.TakeAsync<string>("robot|leaves=ab", CancellationToken.None);

        shares.End("robot|leaves=ab", null);
        var turn = await second;
        Assert.True(turn.Running);
        Assert.Null(turn.Shared);

        var third = shares.TakeAsync<string>("robot|leaves=ab", CancellationToken.None);
        Assert.False(third.IsCompleted);
        shares.End("robot|leaves=ab", "facts of the second");
        Assert.Equal("facts of the second", (await third).Shared);
    }

    [Fact]
    public async Task WaiterCancelled_stopsWaiting_theRunnerStillPublishes()
    {
        var shares = new FollowUpShares();
        await shares.TakeAsync<string>("k", CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiting = shares.TakeAsync<string>("k", cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);

        shares.End("k", "published");
        Assert.Equal("published", (await shares.TakeAsync<string>("k", CancellationToken.None)).Shared);
    }

    [Fact]
    public async Task PastTheSlotLimit_nothingMoreIsShared_everyEndpointRunsItsOwn()
    {
        var shares = new FollowUpShares();
        for (var i = 0; i < FollowUpShares.MaxSlots; i++)
        {
            var key = "robot|leaves=" + i;
            Assert.True((await shares.TakeAsync<string>(key, CancellationToken.None)).Running);
            shares.End(key, "r" + i);
        }

        Assert.Equal(new FollowUpTurn<string>(null, false), await shares.TakeAsync<string>("robot|leaves=new", CancellationToken.None));
        Assert.Equal("r0", (await shares.TakeAsync<string>("robot|leaves=0", CancellationToken.None)).Shared);
    }
}
