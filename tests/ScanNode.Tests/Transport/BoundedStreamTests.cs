using XmppScanCluster.ScanNode.Tests.Support.Xmpp;
using XmppScanCluster.ScanNode.Transport;

namespace XmppScanCluster.ScanNode.Tests.Transport;

public class BoundedStreamTests
{
    [Fact]
    public async Task MoreThanTheBudget_throwsByteBudgetExceeded()
    {
        var stream = new BoundedStream(PiecewiseStream.Whole(new string('x', 100)), false, 10, null, null, default);
        var buffer = new byte[64];

        Assert.Equal(10, await stream.ReadAsync(buffer));
        await Assert.ThrowsAsync<ByteBudgetExceededException>(() => stream.ReadAsync(buffer).AsTask());
        Assert.True(stream.BudgetExceeded);
    }

    [Fact]
    public async Task SilentPeer_throwsDeadlineExceeded()
    {
        var stream = new BoundedStream(new PiecewiseStream([], _ => 1, hangAtEnd: true), false, 10, TimeSpan.FromMilliseconds(50), null, default);

        await Assert.ThrowsAsync<DeadlineExceededException>(() => stream.ReadAsync(new byte[1]).AsTask());
        Assert.True(stream.DeadlineHit);
    }

    [Fact]
    public async Task ConnectionDeadline_endsEvenWithoutReadTimeout()
    {
        var stream = new BoundedStream(new PiecewiseStream([], _ => 1, hangAtEnd: true), false, 10, null, TimeSpan.FromMilliseconds(50), default);

        var e = await Assert.ThrowsAsync<DeadlineExceededException>(() => stream.ReadAsync(new byte[1]).AsTask());
        Assert.Contains("deadline", e.Message);
    }

    [Fact]
    public async Task CallerCancellation_isOperationCanceled_notADeadline()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        var stream = new BoundedStream(new PiecewiseStream([], _ => 1, hangAtEnd: true), false, 10, TimeSpan.FromSeconds(10), null, cts.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stream.ReadAsync(new byte[1]).AsTask());
        Assert.False(stream.DeadlineHit);
    }

    [Fact]
    public async Task Unread_bytesComeBackFirst_notCountedTwice_eofIsRecorded()
    {
        var stream = new BoundedStream(PiecewiseStream.Whole("abc"), false, 10, null, null, default);
        var buffer = new byte[8];

        Assert.Equal(3, await stream.ReadAsync(buffer));
        stream.Unread("bc"u8);
        Assert.Equal(1, await stream.ReadAsync(buffer.AsMemory(0, 1)));
        Assert.Equal((byte)'b', buffer[0]);
        Assert.Equal(1, await stream.ReadAsync(buffer));
        Assert.Equal((byte)'c', buffer[0]);
        Assert.Equal(0, await stream.ReadAsync(buffer));
        Assert.True(stream.SawEof);
        Assert.Equal(3, stream.BytesRead);
    }
}
