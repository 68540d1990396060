using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
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
        var time = new FakeTimeProvider();
        var stream = new BoundedStream(new HeldStream(), false, 10, TimeSpan.FromSeconds(10), null, default, time: time);

        var reading = stream.ReadAsync(new byte[1]).AsTask();
        time.Advance(TimeSpan.FromSeconds(10));

        await Assert.ThrowsAsync<DeadlineExceededException>(() => reading);
        Assert.True(stream.DeadlineHit);
    }

    [Fact]
    public async Task ConnectionDeadline_endsEvenWithoutReadTimeout()
    {
        var time = new FakeTimeProvider();
        var stream = new BoundedStream(new HeldStream(), false, 10, null, TimeSpan.FromSeconds(15), default, time: time);

        var reading = stream.ReadAsync(new byte[1]).AsTask();
        time.Advance(TimeSpan.FromSeconds(15));

        var e = await Assert.ThrowsAsync<DeadlineExceededException>(() => reading);
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

    // The deadlines on a fake clock: the inner stream answers only when the test sends, and the token each read was given
    // is cancelled synchronously by the clock's advance, so "still waiting" is a fact, not a race.

    [Fact]
    public async Task ReadTimeout_restartsForEveryRead()
    {
        var time = new FakeTimeProvider();
        var inner = new HeldStream();
        var stream = new BoundedStream(inner, false, 100, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60), default, time: time);
        var buffer = new byte[8];

        var first = stream.ReadAsync(buffer).AsTask();
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(inner.LastToken.IsCancellationRequested);
        inner.Send("a"u8);
        Assert.Equal(1, await first);

        var second = stream.ReadAsync(buffer).AsTask();
        time.Advance(TimeSpan.FromSeconds(9)); // 18 s in: a timer armed for the first read only would have fired at 10 s
        Assert.False(inner.LastToken.IsCancellationRequested);
        time.Advance(TimeSpan.FromSeconds(1)); // 10 s after the second read began
        Assert.True(inner.LastToken.IsCancellationRequested);
        var e = await Assert.ThrowsAsync<DeadlineExceededException>(() => second);
        Assert.Equal("read timed out after 10000 ms", e.Message);
        Assert.True(stream.DeadlineHit);
    }

    [Fact]
    public async Task ConnectionDeadline_capsTheReadThatWouldOutliveIt()
    {
        var time = new FakeTimeProvider();
        var inner = new HeldStream();
        var stream = new BoundedStream(inner, false, 100, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(15), default, time: time);
        var buffer = new byte[8];

        var first = stream.ReadAsync(buffer).AsTask();
        time.Advance(TimeSpan.FromSeconds(8));
        inner.Send("a"u8);
        Assert.Equal(1, await first);

        var second = stream.ReadAsync(buffer).AsTask(); // 7 s of the connection left, less than the 10 s per read
        time.Advance(TimeSpan.FromSeconds(6.9));
        Assert.False(inner.LastToken.IsCancellationRequested);
        time.Advance(TimeSpan.FromSeconds(0.1));
        var e = await Assert.ThrowsAsync<DeadlineExceededException>(() => second);
        Assert.Equal("connection deadline passed during a read", e.Message);

        // Past the connection's deadline nothing more is read, nor written.
        await Assert.ThrowsAsync<DeadlineExceededException>(() => stream.ReadAsync(buffer).AsTask());
        await Assert.ThrowsAsync<DeadlineExceededException>(() => stream.WriteAsync("x"u8.ToArray()).AsTask());
        Assert.Equal(2, inner.Reads);
    }

    [Fact]
    public async Task ReadsAndWrites_haveTimersOfTheirOwn()
    {
        var time = new FakeTimeProvider();
        var inner = new HeldStream { HoldWrites = true };
        var stream = new BoundedStream(inner, false, 100, TimeSpan.FromSeconds(10), null, default, time: time);

        var read = stream.ReadAsync(new byte[8]).AsTask();
        time.Advance(TimeSpan.FromSeconds(5));
        var write = stream.WriteAsync("x"u8.ToArray()).AsTask();
        time.Advance(TimeSpan.FromSeconds(5)); // the read's 10 s are over, the write's are not
        Assert.Equal("read timed out after 10000 ms", (await Assert.ThrowsAsync<DeadlineExceededException>(() => read)).Message);
        Assert.False(inner.LastWriteToken.IsCancellationRequested);
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("write timed out after 10000 ms", (await Assert.ThrowsAsync<DeadlineExceededException>(() => write)).Message);
    }

    [Fact]
    public async Task EveryRead_getsTheConnectionsOneSource_notANewOnePerRead()
    {
        var time = new FakeTimeProvider();
        var inner = new HeldStream();
        using var caller = new CancellationTokenSource();
        using var operation = new CancellationTokenSource();
        var stream = new BoundedStream(inner, false, 100, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), caller.Token, time: time);
        var tokens = new List<CancellationToken>();

        for (int i = 0; i < 3; i++)
        {
            var read = stream.ReadAsync(new byte[8], operation.Token).AsTask();
            tokens.Add(inner.LastToken);
            inner.Send("a"u8);
            Assert.Equal(1, await read);
        }

        Assert.All(tokens, t => Assert.Equal(tokens[0], t));
        Assert.NotEqual(caller.Token, tokens[0]);

        // The operation's own token still cancels the read it was given to, as OperationCanceledException, not a deadline;
        // the next read gets a fresh source and waits.
        var cancelled = stream.ReadAsync(new byte[8], operation.Token).AsTask();
        operation.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.False(stream.DeadlineHit);
        var next = stream.ReadAsync(new byte[8]).AsTask();
        Assert.False(inner.LastToken.IsCancellationRequested);
        inner.Send("b"u8);
        Assert.Equal(1, await next);
    }

    [Fact]
    public async Task WithoutTimeouts_theCallersTokenIsPassedOn()
    {
        using var caller = new CancellationTokenSource();
        var inner = new HeldStream();
        var stream = new BoundedStream(inner, false, 100, null, null, caller.Token);

        var read = stream.ReadAsync(new byte[8]).AsTask();
        Assert.Equal(caller.Token, inner.LastToken);
        caller.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read);
        Assert.False(stream.DeadlineHit);
    }

    /// <summary>A stream whose reads wait until the test sends bytes, remembering the token each read was given.</summary>
    private sealed class HeldStream : Stream
    {
        private readonly Channel<byte[]> _incoming = Channel.CreateUnbounded<byte[]>();

        public CancellationToken LastToken { get; private set; }
        public CancellationToken LastWriteToken { get; private set; }
        public int Reads { get; private set; }
        public bool HoldWrites { get; init; }

        public void Send(ReadOnlySpan<byte> bytes) => _incoming.Writer.TryWrite(bytes.ToArray());

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            LastToken = cancellationToken;
            Reads++;
            var bytes = await _incoming.Reader.ReadAsync(cancellationToken);
            bytes.CopyTo(buffer);
            return bytes.Length;
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            LastWriteToken = cancellationToken;
            if (HoldWrites) await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        public override bool CanRead => true;
        public override bool CanWrite => true;
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
