using XmppScanCluster.ScanNode.Probes;

namespace XmppScanCluster.ScanNode.Assessment;

/// <summary>
/// Counts connections per probe label (the assessment's cost as a rate-limited server sees it), keeps at most
/// <c>maxConcurrent</c> of them open at once (a slot is held from the start of <see cref="OpenAsync"/> until
/// the stream is disposed), and keeps an optional minimum spacing between two connection starts.
/// </summary>
/// <remarks>
/// The label flows with the async call (<see cref="AsyncLocal{T}"/>): two lanes of one assessment each set
/// their own and every connection is counted under the label of the lane that opened it.
/// </remarks>
public sealed class CountingConnectionFactory(
    ITlsConnectionFactory inner, TimeSpan minimumSpacing = default, TimeProvider? clock = null, int maxConcurrent = 1)
    : ITlsConnectionFactory
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly SemaphoreSlim _slots = new(Math.Max(1, maxConcurrent), Math.Max(1, maxConcurrent));
    private readonly SemaphoreSlim _starts = new(1, 1);
    private readonly AsyncLocal<string?> _probe = new();
    private readonly Lock _lock = new();
    private readonly List<(string Probe, int Count)> _counts = [];
    private DateTimeOffset? _lastStart;
    private int _total;

    /// <summary>The label the next connections of this async flow are counted under.</summary>
    public string Probe
    {
        get => _probe.Value ?? "other";
        set => _probe.Value = value;
    }

    /// <summary>
    /// Told each start's instant as the spacing counts it (before the inner factory connects). Whoever checks the
    /// spacing from outside must use these: a clock read after a thread switch lands later and shows gaps that never were.
    /// </summary>
    public Action<DateTimeOffset>? OnStart { get; init; }

    /// <summary>Connections opened so far.</summary>
    public int Total => Volatile.Read(ref _total);

    /// <summary>Connections allowed open at once.</summary>
    public int MaxConcurrent { get; } = Math.Max(1, maxConcurrent);

    /// <summary>Connections per label, in the order the labels first appeared.</summary>
    public IReadOnlyList<(string Probe, int Count)> PerProbe
    {
        get
        {
            lock (_lock)
            {
                return [.. _counts];
            }
        }
    }

    /// <summary>Connections counted under <paramref name="probe"/>.</summary>
    public int CountOf(string probe)
    {
        lock (_lock)
        {
            return _counts.Find(c => c.Probe == probe).Count;
        }
    }

    public async Task<TlsConnectionAttempt> OpenAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        var handedOver = false;
        try
        {
            await StartAsync(cancellationToken).ConfigureAwait(false);
            var attempt = await inner.OpenAsync(cancellationToken).ConfigureAwait(false);
            if (attempt.Stream is not { } stream)
            {
                return attempt;
            }

            handedOver = true;
            return TlsConnectionAttempt.Connected(new SlotStream(stream, _slots));
        }
        finally
        {
            if (!handedOver)
            {
                _slots.Release();
            }
        }
    }

    /// <summary>Waits out the spacing since the previous start, then counts this one.</summary>
    private async Task StartAsync(CancellationToken cancellationToken)
    {
        await _starts.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_lastStart is { } last && minimumSpacing > TimeSpan.Zero)
            {
                var wait = minimumSpacing - (_clock.GetUtcNow() - last);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _clock, cancellationToken).ConfigureAwait(false);
                }
            }

            var startedAt = _clock.GetUtcNow();
            _lastStart = startedAt;
            OnStart?.Invoke(startedAt);
            var probe = Probe;
            lock (_lock)
            {
                _total++;
                var i = _counts.FindIndex(c => c.Probe == probe);
                if (i < 0)
                {
                    _counts.Add((probe, 1));
                }
                else
                {
                    _counts[i] = (probe, _counts[i].Count + 1);
                }
            }
        }
        finally
        {
            _starts.Release();
        }
    }

    /// <summary>The connection's stream; disposing it frees its slot (once).</summary>
    private sealed class SlotStream(Stream inner, SemaphoreSlim slots) : Stream
    {
        private int _released;

        public override bool CanRead => inner.CanRead;

        public override bool CanSeek => false;

        public override bool CanWrite => inner.CanWrite;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.WriteAsync(buffer, offset, count, cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                Release();
            }

            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync().ConfigureAwait(false);
            Release();
            GC.SuppressFinalize(this);
        }

        private void Release()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
