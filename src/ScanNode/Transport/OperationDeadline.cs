namespace XmppScanCluster.ScanNode.Transport;

/// <summary>
/// The deadline of one direction (reads or writes) of a <see cref="BoundedStream"/>: one cancellation source per stream
/// and direction, cancelled by the caller's token (one registration for the stream's life) and by its own timer, which
/// is re-armed for every operation. It replaces a linked source and a new timer per read (issue 14: with the preamble
/// fed one byte per read that was 27 % of a scan's CPU; after reading in chunks still one source, three registrations
/// and one timer per read). Operations of one direction never overlap (the <see cref="Stream"/> contract), so one
/// source serves them all; a source that was cancelled (an operation's own token, or a timer that fired after its
/// operation had completed) is replaced before the next operation.
/// </summary>
internal sealed class OperationDeadline : IDisposable
{
    private readonly TimeProvider _time;
    private readonly CancellationToken _caller;
    private CancellationTokenSource _source;
    private CancellationTokenRegistration _callerLink;
    private bool _armed;
    private volatile bool _disposed;

    public OperationDeadline(CancellationToken caller, TimeProvider time)
    {
        _caller = caller;
        _time = time;
        _source = Create();
    }

    /// <summary>The running operation's source was cancelled (by its timer, the caller or the operation's token).</summary>
    public bool Cancelled => _source.IsCancellationRequested;

    /// <summary>Arms the deadline for one operation and returns the token to pass to the inner stream.</summary>
    /// <param name="limit">Time the operation may take; null for no timer (the caller's and the operation's tokens still apply).</param>
    /// <param name="operation">The operation's own token: linked for this operation only.</param>
    /// <param name="link">Dispose after the operation (<see cref="Stop"/> does).</param>
    public CancellationToken Start(TimeSpan? limit, CancellationToken operation, out CancellationTokenRegistration link)
    {
        if (_source.IsCancellationRequested) Renew();
        if (limit is { } t)
        {
            _source.CancelAfter(t);
            _armed = true;
        }
        link = operation.CanBeCanceled && operation != _caller
            ? operation.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), _source)
            : default;
        return _source.Token;
    }

    /// <summary>Disarms the timer and unlinks the operation's token.</summary>
    public void Stop(CancellationTokenRegistration link)
    {
        link.Dispose();
        if (_armed && !_disposed && !_source.IsCancellationRequested)
        {
            try
            {
                _source.CancelAfter(Timeout.InfiniteTimeSpan);
            }
            catch (ObjectDisposedException)
            {
                // The stream was disposed while this operation was ending (a teardown from another thread): nothing to disarm.
            }
        }
        _armed = false;
    }

    private CancellationTokenSource Create()
    {
        // The TimeProvider overload: CancelAfter then runs on the provider's timer (a fake clock in tests).
        var source = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);
        _callerLink = _caller.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), source);
        return source;
    }

    private void Renew()
    {
        _callerLink.Dispose();
        _source.Dispose();
        _source = Create();
    }

    public void Dispose()
    {
        _disposed = true;
        _callerLink.Dispose();
        _source.Dispose();
    }
}
