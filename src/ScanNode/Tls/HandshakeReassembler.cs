using System.Buffers;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Tls;

/// <summary>
/// Turns arbitrary chunks of a server's byte stream into records and whole handshake messages. A message may
/// span records, a record may hold several messages, and a read may end anywhere (RFC 5246 §6.2.1): one byte
/// per read gives the same messages as one big read. Everything is bounded by <see cref="ScanLimits"/>:
/// a record by MaxTlsRecordBytes, a handshake message by MaxHandshakeMessageBytes, the whole stream by
/// MaxBytesPerConnection. Once <see cref="ParseStatus.Invalid"/> is returned it stays so. Its two buffers are
/// rented from <see cref="ArrayPool{T}.Shared"/> (one reassembler per connection, issue 14): dispose it to give
/// them back; messages handed out are copies and outlive it.
/// </summary>
public sealed class HandshakeReassembler : IDisposable
{
    private const int HandshakeHeaderSize = 4;
    private const int InitialBufferSize = 4096;

    private readonly ScanLimits _limits;
    private byte[] _raw = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
    private int _rawStart;
    private int _rawCount;
    private byte[] _handshake = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
    private int _handshakeCount;
    private ushort _handshakeRecordVersion;
    private long _totalBytes;

    public HandshakeReassembler(ScanLimits limits) => _limits = limits;

    /// <summary>Why the stream became invalid (protocol error or limit), once it has.</summary>
    public ProbeFailure? Failure { get; private set; }

    /// <summary>Total bytes appended so far.</summary>
    public long TotalBytes => _totalBytes;

    /// <summary>Bytes received but not yet handed out (e.g. the tail of an encrypted flight).</summary>
    public int BufferedBytes => _rawCount + _handshakeCount;

    /// <summary>Returns the buffers to the pool; the reassembler must not be used afterwards.</summary>
    public void Dispose()
    {
        Release(ref _raw);
        Release(ref _handshake);
        _rawStart = _rawCount = _handshakeCount = 0;
        Failure ??= new ProbeFailure(FailureKind.Internal, "reassembler disposed");
    }

    /// <summary>Adds bytes read from the server. Invalid if the per-connection budget is exceeded.</summary>
    public ParseStatus Append(ReadOnlySpan<byte> chunk)
    {
        if (Failure is not null)
        {
            return ParseStatus.Invalid;
        }

        _totalBytes += chunk.Length;
        if (_totalBytes > _limits.MaxBytesPerConnection)
        {
            return Fail(FailureKind.LimitExceeded, $"more than {_limits.MaxBytesPerConnection} bytes on one connection");
        }

        if (_rawStart + _rawCount + chunk.Length > _raw.Length)
        {
            if (_rawCount + chunk.Length <= _raw.Length)
            {
                Buffer.BlockCopy(_raw, _rawStart, _raw, 0, _rawCount);
            }
            else
            {
                var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_raw.Length * 2, _rawCount + chunk.Length));
                Buffer.BlockCopy(_raw, _rawStart, bigger, 0, _rawCount);
                Release(ref _raw);
                _raw = bigger;
            }

            _rawStart = 0;
        }

        chunk.CopyTo(_raw.AsSpan(_rawStart + _rawCount));
        _rawCount += chunk.Length;
        return ParseStatus.NeedMoreData;
    }

    /// <summary>
    /// Hands out the next whole message if there is one (Complete), says NeedMoreData if the buffered bytes
    /// are a valid prefix, or Invalid (see <see cref="Failure"/>).
    /// </summary>
    public ParseStatus TryReadMessage(out TlsMessage? message)
    {
        message = null;
        if (Failure is not null)
        {
            return ParseStatus.Invalid;
        }

        while (true)
        {
            var hs = TryTakeHandshakeMessage(out message);
            if (hs != ParseStatus.NeedMoreData)
            {
                return hs;
            }

            var raw = _raw.AsSpan(_rawStart, _rawCount);
            var status = TlsRecordParser.TryReadHeader(raw, _limits.MaxTlsRecordBytes, out var header, out var error);
            if (status == ParseStatus.Invalid)
            {
                var kind = header.Length > _limits.MaxTlsRecordBytes ? FailureKind.LimitExceeded : FailureKind.ProtocolError;
                return Fail(kind, error ?? "invalid record");
            }

            if (status == ParseStatus.NeedMoreData || raw.Length < TlsRecordHeader.Size + header.Length)
            {
                return ParseStatus.NeedMoreData;
            }

            var fragment = raw.Slice(TlsRecordHeader.Size, header.Length);
            _rawStart += TlsRecordHeader.Size + header.Length;
            _rawCount -= TlsRecordHeader.Size + header.Length;

            if (header.ContentType != TlsContentType.Handshake)
            {
                message = new TlsMessage(header.ContentType, header.Version, null, fragment.ToArray());
                return ParseStatus.Complete;
            }

            if (header.Length == 0)
            {
                // RFC 5246 §6.2.1: zero-length handshake fragments MUST NOT be sent.
                return Fail(FailureKind.ProtocolError, "empty handshake record");
            }

            if (_handshakeCount == 0)
            {
                _handshakeRecordVersion = header.Version;
            }

            if (_handshakeCount + fragment.Length > _handshake.Length)
            {
                var cap = _limits.MaxHandshakeMessageBytes + HandshakeHeaderSize + _limits.MaxTlsRecordBytes;
                if (_handshakeCount + fragment.Length > cap)
                {
                    return Fail(FailureKind.LimitExceeded, "handshake data exceeds the buffer limit");
                }

                var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(cap, Math.Max(_handshake.Length * 2, _handshakeCount + fragment.Length)));
                _handshake.AsSpan(0, _handshakeCount).CopyTo(bigger);
                Release(ref _handshake);
                _handshake = bigger;
            }

            fragment.CopyTo(_handshake.AsSpan(_handshakeCount));
            _handshakeCount += fragment.Length;
        }
    }

    private ParseStatus TryTakeHandshakeMessage(out TlsMessage? message)
    {
        message = null;
        var buffered = _handshake.AsSpan(0, _handshakeCount);
        var reader = new TlsSpanReader(buffered);
        if (!reader.TryReadUInt8(out var type) || !reader.TryReadUInt24(out var length))
        {
            return ParseStatus.NeedMoreData;
        }

        if (length > _limits.MaxHandshakeMessageBytes)
        {
            return Fail(FailureKind.LimitExceeded, $"handshake message of {length} bytes exceeds the limit of {_limits.MaxHandshakeMessageBytes}");
        }

        var total = HandshakeHeaderSize + length;
        if (buffered.Length < total)
        {
            return ParseStatus.NeedMoreData;
        }

        message = new TlsMessage(TlsContentType.Handshake, _handshakeRecordVersion, (TlsHandshakeType)type, buffered[..total].ToArray());
        buffered[total..].CopyTo(_handshake);
        _handshakeCount -= total;
        return ParseStatus.Complete;
    }

    private static void Release(ref byte[] buffer)
    {
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        buffer = [];
    }

    private ParseStatus Fail(FailureKind kind, string message)
    {
        Failure = new ProbeFailure(kind, message);
        return ParseStatus.Invalid;
    }
}
