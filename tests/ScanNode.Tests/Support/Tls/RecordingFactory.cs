using XmppScanCluster.ScanNode.Probes;

namespace XmppScanCluster.ScanNode.Tests.Support.Tls;

/// <summary>Loopback connections that keep the first write of each (the ClientHello record) for the test to parse.</summary>
internal sealed class RecordingFactory(int port) : ITlsConnectionFactory
{
    private readonly LoopbackConnectionFactory _inner = new(port);
    private readonly List<byte[]> _firstRecords = [];

    /// <summary>The first bytes written on each connection, in connection order.</summary>
    public IReadOnlyList<byte[]> FirstRecords
    {
        get
        {
            lock (_firstRecords)
            {
                return [.. _firstRecords];
            }
        }
    }

    public async Task<TlsConnectionAttempt> OpenAsync(CancellationToken cancellationToken)
    {
        var attempt = await _inner.OpenAsync(cancellationToken);
        return attempt.Stream is { } s ? TlsConnectionAttempt.Connected(new FirstWrite(s, this)) : attempt;
    }

    private sealed class FirstWrite(Stream inner, RecordingFactory owner) : Stream
    {
        private bool _recorded;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_recorded)
            {
                _recorded = true;
                lock (owner._firstRecords)
                {
                    owner._firstRecords.Add(buffer.ToArray());
                }
            }

            return inner.WriteAsync(buffer, cancellationToken);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
