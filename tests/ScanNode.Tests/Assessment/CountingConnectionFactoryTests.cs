using XmppScanCluster.ScanNode.Assessment;
using XmppScanCluster.ScanNode.Probes;

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
        await using var c = await third.WaitAsync(TimeSpan.FromSeconds(5));
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
        var counter = new CountingConnectionFactory(new MemoryConnections(), TimeSpan.FromMilliseconds(50), maxConcurrent: 4);
        var started = System.Diagnostics.Stopwatch.StartNew();

        var opens = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => counter.OpenAsync(CancellationToken.None)));
        foreach (var o in opens)
        {
            await o.DisposeAsync();
        }

        // Four starts, three gaps (the four slots would otherwise let them start together).
        Assert.True(started.Elapsed >= TimeSpan.FromMilliseconds(140), started.Elapsed.ToString());
    }
}
