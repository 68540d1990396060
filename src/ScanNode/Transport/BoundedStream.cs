using System.Runtime.CompilerServices;

namespace XmppScanCluster.ScanNode.Transport;

/// <summary>
/// A stream wrapper that bounds what the peer can make us do: a byte budget for everything read, a deadline
/// for every single read and write, and optionally a deadline for the whole connection (zgrab2's conn.go
/// idea). Budget overruns throw <see cref="ByteBudgetExceededException"/>, deadlines
/// <see cref="DeadlineExceededException"/>; only the caller's own token produces
/// <see cref="OperationCanceledException"/>.
/// </summary>
/// <remarks>
/// <see cref="Unread"/> puts bytes back in front: the XMPP layer reads the STARTTLS preamble in chunks and gives back
/// whatever came after <c>&lt;proceed/&gt;</c>, so no byte that belongs to TLS is lost.
/// Synchronous Read/Write block on the asynchronous versions; everything in the scanner is async.
/// </remarks>
public sealed class BoundedStream : Stream
{
    private readonly Stream _inner;
    private readonly bool _ownsInner;
    private readonly long _budget;
    private readonly TimeSpan? _ioTimeout;
    private readonly TimeSpan? _connectionTimeout;
    private readonly CancellationToken _callerToken;
    private readonly TimeProvider _time;
    private readonly long _started;
    private OperationDeadline? _reads;
    private OperationDeadline? _writes;
    private readonly string _what;
    private bool _disposed;
    private bool _readCappedByConnection;
    private bool _writeCappedByConnection;
    private ReadOnlyMemory<byte> _unread;

    /// <param name="inner">The stream to bound.</param>
    /// <param name="ownsInner">Dispose <paramref name="inner"/> with this stream.</param>
    /// <param name="byteBudget">Bytes that may be read in total.</param>
    /// <param name="ioTimeout">Deadline for each read and write; null for none (an inner stream has one).</param>
    /// <param name="connectionTimeout">Deadline for everything from now on; null for none.</param>
    /// <param name="callerToken">The caller's cancellation; cancelling it yields OperationCanceledException.</param>
    /// <param name="what">Names the budget in messages ("connection", "XMPP preamble").</param>
    /// <param name="time">The clock of both deadlines (a fake one in tests); the system clock by default.</param>
    public BoundedStream(Stream inner, bool ownsInner, long byteBudget, TimeSpan? ioTimeout, TimeSpan? connectionTimeout,
        CancellationToken callerToken, string what = "connection", TimeProvider? time = null)
    {
        _inner = inner;
        _ownsInner = ownsInner;
        _budget = byteBudget;
        _ioTimeout = ioTimeout;
        _connectionTimeout = connectionTimeout;
        _callerToken = callerToken;
        _what = what;
        _time = time ?? TimeProvider.System;
        _started = _time.GetTimestamp();
    }

    /// <summary>Bytes read through this stream so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>A read returned 0: the peer closed its side.</summary>
    public bool SawEof { get; private set; }

    /// <summary>A read or write ran past a deadline.</summary>
    public bool DeadlineHit { get; private set; }

    /// <summary>The byte budget ran out.</summary>
    public bool BudgetExceeded { get; private set; }

    /// <summary>Bytes the next reads return before reading on (already counted in <see cref="BytesRead"/>).</summary>
    public void Unread(ReadOnlySpan<byte> bytes)
    {
        _unread = (byte[])[.. bytes, .. _unread.Span];
    }

    public override bool CanRead => true;
    public override bool CanWrite => _inner.CanWrite;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    // Pooled state machines: a read that waits for the network does not allocate one per call.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.Length == 0) return 0;
        if (!_unread.IsEmpty)
        {
            int k = Math.Min(buffer.Length, _unread.Length);
            _unread.Span[..k].CopyTo(buffer.Span);
            _unread = _unread[k..];
            return k;
        }
        long remaining = _budget - BytesRead;
        if (remaining <= 0)
        {
            BudgetExceeded = true;
            throw new ByteBudgetExceededException($"{_what} exceeded its budget of {_budget} bytes");
        }
        int max = (int)Math.Min(buffer.Length, remaining);
        var limit = Limit(out _readCappedByConnection);
        if (limit <= TimeSpan.Zero) throw Expired("read", cancellationToken);
        var deadline = Arm(ref _reads, limit, cancellationToken, out var token, out var link);
        int n;
        try
        {
            n = await _inner.ReadAsync(buffer[..max], token).ConfigureAwait(false);
        }
        catch (Exception e) when (IsOurDeadline(e, deadline, cancellationToken))
        {
            throw Deadline("read", _readCappedByConnection);
        }
        finally
        {
            deadline?.Stop(link);
        }
        if (n == 0) SawEof = true;
        BytesRead += n;
        return n;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var limit = Limit(out _writeCappedByConnection);
        if (limit <= TimeSpan.Zero) throw Expired("write", cancellationToken);
        var deadline = Arm(ref _writes, limit, cancellationToken, out var token, out var link);
        try
        {
            await _inner.WriteAsync(buffer, token).ConfigureAwait(false);
        }
        catch (Exception e) when (IsOurDeadline(e, deadline, cancellationToken))
        {
            throw Deadline("write", _writeCappedByConnection);
        }
        finally
        {
            deadline?.Stop(link);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);
    public override void Flush() => _inner.Flush();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>The time the next operation may take: the per-operation timeout, capped by what is left of the
    /// connection's (null: neither is set).</summary>
    private TimeSpan? Limit(out bool cappedByConnection)
    {
        cappedByConnection = false;
        if (_connectionTimeout is not { } whole) return _ioTimeout;
        var left = whole - _time.GetElapsedTime(_started);
        if (_ioTimeout is { } each && each <= left) return each;
        cappedByConnection = true;
        return left;
    }

    /// <summary>The token for one operation. Without a time limit and with at most one cancellable token (the XMPP
    /// preamble's stream: the XML reader passes none) that token is passed on as it is; otherwise the direction's
    /// <see cref="OperationDeadline"/>, created at its first use, is armed.</summary>
    private OperationDeadline? Arm(ref OperationDeadline? direction, TimeSpan? limit, CancellationToken operationToken,
        out CancellationToken token, out CancellationTokenRegistration link)
    {
        bool both = operationToken.CanBeCanceled && _callerToken.CanBeCanceled && operationToken != _callerToken;
        if (limit is null && !both)
        {
            token = operationToken.CanBeCanceled ? operationToken : _callerToken;
            link = default;
            return null;
        }
        direction ??= new OperationDeadline(_callerToken, _time);
        token = direction.Start(limit, operationToken, out link);
        return direction;
    }

    // A cancelled socket operation surfaces as OperationCanceledException or, on some paths, as an IOException.
    private bool IsOurDeadline(Exception e, OperationDeadline? deadline, CancellationToken operationToken) =>
        e is OperationCanceledException or IOException
        && deadline is { Cancelled: true }
        && !operationToken.IsCancellationRequested
        && !_callerToken.IsCancellationRequested;

    // The connection's deadline passed before the operation started; a cancelled caller still hears of its cancellation.
    private DeadlineExceededException Expired(string op, CancellationToken operationToken)
    {
        operationToken.ThrowIfCancellationRequested();
        _callerToken.ThrowIfCancellationRequested();
        return Deadline(op, byConnection: true);
    }

    private DeadlineExceededException Deadline(string op, bool byConnection)
    {
        DeadlineHit = true;
        return byConnection
            ? new DeadlineExceededException($"{_what} deadline passed during a {op}")
            : new DeadlineExceededException($"{op} timed out after {_ioTimeout?.TotalMilliseconds:0} ms");
    }

    protected override void Dispose(bool disposing)
    {
        if (!_disposed && disposing)
        {
            _disposed = true;
            if (_ownsInner) _inner.Dispose();
            _reads?.Dispose();
            _writes?.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            if (_ownsInner) await _inner.DisposeAsync().ConfigureAwait(false);
            _reads?.Dispose();
            _writes?.Dispose();
        }
        GC.SuppressFinalize(this);
    }
}
