namespace XmppScanCluster.ScanNode.Tests.Support.Xmpp;

/// <summary>A read-only stream that hands out its bytes in the given piece sizes (1 = byte by byte), then
/// either EOF or, with <c>hangAtEnd</c>, a read that never completes until cancelled.</summary>
internal sealed class PiecewiseStream(byte[] data, Func<int, int> pieceSize, bool hangAtEnd = false) : Stream
{
    private int _offset;
    private int _reads;

    /// <summary>Bytes handed out so far.</summary>
    public int Consumed => _offset;

    public static PiecewiseStream Whole(string text) => new(System.Text.Encoding.UTF8.GetBytes(text), _ => int.MaxValue);
    public static PiecewiseStream ByteByByte(string text) => new(System.Text.Encoding.UTF8.GetBytes(text), _ => 1);

    public static PiecewiseStream RandomPieces(string text, int seed)
    {
        var random = new Random(seed);
        return new(System.Text.Encoding.UTF8.GetBytes(text), _ => random.Next(1, 17));
    }

    public override bool CanRead => true;
    public override bool CanWrite => false;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_offset >= data.Length)
        {
            if (hangAtEnd) await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }
        await Task.Yield();
        int n = Math.Min(Math.Min(buffer.Length, Math.Max(1, pieceSize(_reads++))), data.Length - _offset);
        data.AsMemory(_offset, n).CopyTo(buffer);
        _offset += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, default).GetAwaiter().GetResult();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
