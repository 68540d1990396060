using Microsoft.Extensions.Time.Testing;
using XmppScanCluster.ScanNode.Assessment;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Tests.Support.Tls;

namespace XmppScanCluster.ScanNode.Tests.Assessment;

public class CountingConnectionFactoryTests
{
    private sealed class MemoryConnections : ITlsConnectionFactory
    {
        public Task<TlsConnectionAttempt> OpenAsync(CancellationToken cancellationToken) =>
            Task.FromResult(TlsConnectionAttempt.Connected(new MemoryStream()));
    }

    [Fact]
    public async Task TwoSlots_thirdOpenWaitsUntilOneIsDisposed()
    {
        var counter = new CountingConnectionFactory(new MemoryConnections(), maxConcurrent: 2);

        var a = await counter.OpenAsync(CancellationToken.None);
        await using var b = await counter.OpenAsync(CancellationToken.None);
        var third = counter.OpenAsync(CancellationToken.None);
        await Task.Delay(100);
        Assert.False(third.IsCompleted);

        await a.DisposeAsync();
        await using var c = await third.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(3, counter.Total);
    }

    [Fact]
    public async Task LabelsFlowWithEachAsyncCall_countsAttributedToTheirOwnLane()
    {
        var counter = new CountingConnectionFactory(new MemoryConnections(), maxConcurrent: 2);

        async Task Lane(string label, int connections)
        {
            counter.Probe = label;
            for (var i = 0; i < connections; i++)
            {
                await Task.Yield();
                await using var attempt = await counter.OpenAsync(CancellationToken.None);
            }
        }

        await Task.WhenAll(Lane("a", 5), Lane("b", 3));

        Assert.Equal(5, counter.CountOf("a"));
        Assert.Equal(3, counter.CountOf("b"));
        Assert.Equal(0, counter.CountOf("other"));
        Assert.Equal(8, counter.Total);
    }

    [Fact]
    public async Task MinimumSpacing_heldBetweenStartsOfConcurrentConnections()
    {
        var time = new FakeTimeProvider();
        var starts = new StartTimes(new MemoryConnections());
        var counter = new CountingConnectionFactory(starts, TimeSpan.FromMilliseconds(50), time, maxConcurrent: 4) { OnStart = starts.Granted };

        var opening = Task.WhenAll(Enumerable.Range(0, 4).Select(_ => counter.OpenAsync(CancellationToken.None)));
        var opens = await time.RunAsync(opening, TimeSpan.FromMilliseconds(5));
        foreach (var o in opens)
        {
            await o.DisposeAsync();
        }

        // Four starts, three gaps of at least the spacing on the clock the factory waits on (the four slots
        // would otherwise let them start together).
        Assert.Equal(4, starts.Opened);
        Assert.Equal(4, starts.Times.Count);
        Assert.All(starts.Gaps, gap => Assert.True(gap >= TimeSpan.FromMilliseconds(50), $"gaps {string.Join(", ", starts.Gaps)}"));
    }
}
