using System.Buffers;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.ScanNode.Transport;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Probes;

/// <summary>What one read after the first flight gave.</summary>
/// <param name="Reaction">Record, alert, silence or close.</param>
/// <param name="Message">The record (or handshake message) when one came.</param>
/// <param name="Alert">The parsed alert when <paramref name="Reaction"/> is Alert.</param>
internal readonly record struct NextRecord(RecordReaction Reaction, TlsMessage? Message, TlsAlert? Alert);

/// <summary>
/// One connection kept open past the server's first flight: sends a ClientHello, reads up to ServerHelloDone
/// (the same rules as <see cref="HandshakeProbe"/>), then lets a probe send raw records and read what comes
/// back, one record at a time. Every read has <see cref="ScanLimits.ReadTimeout"/>, the whole session
/// <see cref="ScanLimits.ConnectionTimeout"/>, both on <see cref="ScanLimits.Clock"/> (a test decides "silence" on fake
/// time), and bytes are bounded by the reassembler's limits.
/// The caller's cancellation is thrown as <see cref="OperationCanceledException"/>, never turned into a fact
/// ("no answer" from a cancelled scan would read as "not vulnerable").
/// </summary>
internal sealed class FirstFlightSession : IAsyncDisposable, ITls12Flight
{
    private const int ReadBufferSize = 4096;

    private readonly TlsConnectionAttempt _attempt;
    private readonly Stream _stream;
    private readonly ScanLimits _limits;
    private readonly OperationDeadline _deadline;
    private readonly CancellationToken _session;
    private readonly OperationDeadline _read;
    private readonly CancellationToken _caller;
    private readonly HandshakeReassembler _reassembler;
    private readonly List<byte> _transcript = [];
    private byte[]? _raw;
    private int _rawCount;

    private FirstFlightSession(TlsConnectionAttempt attempt, Stream stream, ScanLimits limits, CancellationToken cancellationToken)
    {
        _attempt = attempt;
        _stream = stream;
        _limits = limits;
        _caller = cancellationToken;
        // The session deadline is one operation armed for the session's life, as HandshakeProbe's connection deadline.
        _deadline = new OperationDeadline(cancellationToken, limits.Clock);
        _session = _deadline.Start(limits.ConnectionTimeout, default, out _);
        _read = new OperationDeadline(_session, limits.Clock);
        _reassembler = new HandshakeReassembler(limits);
    }

    /// <summary>The first flight (ServerHello … ServerHelloDone, or how it ended).</summary>
    public HandshakeResult Flight { get; private set; } = HandshakeResult.Failed(new ProbeFailure(FailureKind.ConnectionClosed, "not started"));

    /// <summary>Every handshake message so far, as sent and received (the Finished hash input, RFC 5246 §7.4.9);
    /// HelloRequest is left out.</summary>
    public IReadOnlyList<byte> Transcript => _transcript;

    /// <summary>ClientHello.random of the first ClientHello.</summary>
    public byte[] ClientRandom { get; private set; } = [];

    /// <summary>The version records are written with after the ServerHello (the negotiated one).</summary>
    public ushort RecordVersion => Flight.NegotiatedVersion is >= 0x0300 and <= 0x0303 ? Flight.NegotiatedVersion : (ushort)0x0301;

    /// <summary>Opens a connection and reads the first flight. The session is null only when no connection could be made.</summary>
    public static Task<(FirstFlightSession? Session, HandshakeResult Flight)> StartAsync(
        ITlsConnectionFactory connections, ScanLimits limits, ClientHelloProfile profile, CancellationToken cancellationToken) =>
        StartAsync(connections, limits, ClientHelloBuilder.BuildHandshake(profile), (ushort)profile.RecordVersion, cancellationToken);

    /// <summary>As above, with a ClientHello handshake message already built (e.g. with a chosen session_id).</summary>
    public static async Task<(FirstFlightSession? Session, HandshakeResult Flight)> StartAsync(
        ITlsConnectionFactory connections, ScanLimits limits, byte[] hello, ushort recordVersion, CancellationToken cancellationToken)
    {
        var attempt = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (attempt.Failure is { } failure || attempt.Stream is not { } stream)
        {
            await attempt.DisposeAsync().ConfigureAwait(false);
            return (null, HandshakeResult.Failed(attempt.Failure ?? new ProbeFailure(FailureKind.ConnectionClosed, "no stream")));
        }

        var session = new FirstFlightSession(attempt, stream, limits, cancellationToken);
        session._transcript.AddRange(hello);
        session.ClientRandom = hello[6..38]; // msg_type(1) length(3) client_version(2) random(32)
        var sent = await session.SendAsync(TlsRecordWriter.Wrap(TlsContentType.Handshake, recordVersion, hello)).ConfigureAwait(false);
        session.Flight = sent is not null ? HandshakeResult.Failed(sent) : await session.ReadFlightAsync().ConfigureAwait(false);
        return (session, session.Flight);
    }

    /// <summary>Writes raw bytes (records we built); null on success, else why not.</summary>
    public async Task<ProbeFailure?> SendAsync(byte[] bytes)
    {
        try
        {
            await _stream.WriteAsync(bytes, _session).ConfigureAwait(false);
            await _stream.FlushAsync(_session).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (!_caller.IsCancellationRequested)
        {
            return new ProbeFailure(FailureKind.Timeout, "connection deadline passed");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return WireFailures.Classify(e, "write");
        }
    }

    /// <summary>The next record (or handshake message) the server sends, or silence/close/garbage.</summary>
    public async Task<NextRecord> ReadRecordAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
        try
        {
            while (true)
            {
                var status = _reassembler.TryReadMessage(out var message);
                if (status == ParseStatus.Complete)
                {
                    if (message!.ContentType != TlsContentType.Alert)
                    {
                        return new NextRecord(RecordReaction.Other, message, null);
                    }

                    var alert = HandshakeMessageParser.ParseAlert(message.Body);
                    return alert.IsComplete
                        ? new NextRecord(RecordReaction.Alert, message, alert.Value)
                        : new NextRecord(RecordReaction.Other, message, null);
                }

                if (status == ParseStatus.Invalid)
                {
                    return new NextRecord(RecordReaction.Other, null, null);
                }

                var (n, failure) = await ReadAsync(buffer).ConfigureAwait(false);
                if (failure is not null)
                {
                    return new NextRecord(failure.Kind == FailureKind.Timeout ? RecordReaction.NoAnswer : RecordReaction.Closed, null, null);
                }

                if (_reassembler.Append(buffer.AsSpan(0, n)) == ParseStatus.Invalid)
                {
                    return new NextRecord(RecordReaction.Other, null, null);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }

    /// <summary>Adds a handshake message we sent to <see cref="Transcript"/>.</summary>
    public void AddToTranscript(ReadOnlySpan<byte> handshakeMessage) => _transcript.AddRange(handshakeMessage.ToArray());

    /// <summary>
    /// The next whole record as it is on the wire (for the encrypted part of a handshake, which the
    /// reassembler cannot split into messages). Only valid once the reassembler holds no bytes.
    /// </summary>
    public async Task<(RecordReaction Reaction, TlsRecordHeader Header, byte[]? Fragment)> ReadRawRecordAsync()
    {
        if (_reassembler.BufferedBytes != 0)
        {
            return (RecordReaction.Other, default, null);
        }

        _raw ??= new byte[TlsRecordHeader.Size + _limits.MaxTlsRecordBytes];
        while (true)
        {
            var status = TlsRecordParser.TryReadHeader(_raw.AsSpan(0, _rawCount), _limits.MaxTlsRecordBytes, out var header, out _);
            if (status == ParseStatus.Invalid)
            {
                return (RecordReaction.Other, default, null);
            }

            if (status == ParseStatus.Complete && _rawCount >= TlsRecordHeader.Size + header.Length)
            {
                var total = TlsRecordHeader.Size + header.Length;
                var fragment = _raw.AsSpan(TlsRecordHeader.Size, header.Length).ToArray();
                _raw.AsSpan(total, _rawCount - total).CopyTo(_raw);
                _rawCount -= total;
                return (RecordReaction.Response, header, fragment);
            }

            var (n, failure) = await ReadAsync(_raw.AsMemory(_rawCount)).ConfigureAwait(false);
            if (failure is not null)
            {
                return (failure.Kind == FailureKind.Timeout ? RecordReaction.NoAnswer : RecordReaction.Closed, default, null);
            }

            _rawCount += n;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _read.Dispose();
        _deadline.Dispose();
        _reassembler.Dispose();
        await _attempt.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<HandshakeResult> ReadFlightAsync()
    {
        var flight = new ServerFlight();
        var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
        try
        {
            while (true)
            {
                ParseStatus status;
                while ((status = _reassembler.TryReadMessage(out var message)) == ParseStatus.Complete)
                {
                    if (message!.HandshakeType is { } type && type != TlsHandshakeType.HelloRequest)
                    {
                        _transcript.AddRange(message.Raw);
                    }

                    if (flight.Accept(message))
                    {
                        return flight.Result with { BytesReceived = _reassembler.TotalBytes };
                    }
                }

                if (status == ParseStatus.Invalid)
                {
                    return flight.Finish(_reassembler.Failure!, _reassembler.TotalBytes);
                }

                var (n, failure) = await ReadAsync(buffer).ConfigureAwait(false);
                if (failure is not null)
                {
                    return flight.Finish(failure, _reassembler.TotalBytes);
                }

                if (_reassembler.Append(buffer.AsSpan(0, n)) == ParseStatus.Invalid)
                {
                    return flight.Finish(_reassembler.Failure!, _reassembler.TotalBytes);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>One read with <see cref="ScanLimits.ReadTimeout"/>; EOF, reset, timeout and the session deadline become failures.
    /// One read deadline per session, its timer re-armed for every read (issue 14: not a linked source per read); a probe
    /// may read again after silence.</summary>
    private async Task<(int Bytes, ProbeFailure? Failure)> ReadAsync(Memory<byte> buffer)
    {
        var token = _read.Start(_limits.ReadTimeout, default, out var link);
        try
        {
            var n = await _stream.ReadAsync(buffer, token).ConfigureAwait(false);
            return n == 0 ? (0, new ProbeFailure(FailureKind.ConnectionClosed, "server closed the connection")) : (n, null);
        }
        catch (OperationCanceledException) when (!_caller.IsCancellationRequested)
        {
            return (0, new ProbeFailure(FailureKind.Timeout, "no answer within the read timeout"));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The stream's own deadline (a server dripping bytes), a reset, a byte budget.
            return (0, WireFailures.Classify(e, "read"));
        }
        finally
        {
            _read.Stop(link);
        }
    }
}
