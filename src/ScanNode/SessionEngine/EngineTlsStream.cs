using XmppScanCluster.ScanNode.Tls;

namespace XmppScanCluster.ScanNode.SessionEngine;

/// <summary>
/// Application data over an established engine session, as a <see cref="Stream"/> for the XMPP layer. Reads decrypt
/// one record at a time and keep only its plaintext; close_notify is the end of the stream; any other alert is a
/// <see cref="TlsAlertReceivedException"/>. Byte and time bounds are the underlying connection's.
/// </summary>
internal sealed class EngineTlsStream : Stream
{
    private const int MaxPlaintext = 1 << 14;

    private readonly RecordChannel _channel;
    private readonly IRecordProtection _protection;
    private readonly HandshakeMessageBuffer _postHandshake;
    private byte[] _plain = [];
    private int _offset;
    private bool _closed;
    private int _warnings;

    public EngineTlsStream(RecordChannel channel, IRecordProtection protection)
    {
        _channel = channel;
        _protection = protection;
        _postHandshake = new HandshakeMessageBuffer(channel.Limits.MaxHandshakeMessageBytes);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_offset == _plain.Length)
        {
            if (_closed)
            {
                return 0;
            }

            await ReadRecordAsync(cancellationToken).ConfigureAwait(false);
        }

        var n = Math.Min(buffer.Length, _plain.Length - _offset);
        _plain.AsSpan(_offset, n).CopyTo(buffer.Span);
        _offset += n;
        return n;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        for (var at = 0; at < buffer.Length; at += MaxPlaintext)
        {
            var chunk = buffer.Slice(at, Math.Min(MaxPlaintext, buffer.Length - at));
            await _channel.WriteAsync(_protection.Seal(TlsContentType.ApplicationData, chunk.Span), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sends close_notify (RFC 8446 §6.1); the caller ignores a failure, the facts are complete by then.</summary>
    public Task ShutdownAsync() => _channel.WriteAsync(_protection.Seal(TlsContentType.Alert, [1, 0]));

    public override Task FlushAsync(CancellationToken cancellationToken) => _channel.Stream.FlushAsync(cancellationToken);

    public override void Flush() => _channel.Stream.Flush();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        _protection.Dispose();
        await _channel.Stream.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _protection.Dispose();
            _channel.Stream.Dispose();
        }

        base.Dispose(disposing);
    }

    private async Task ReadRecordAsync(CancellationToken cancellationToken)
    {
        (TlsRecordHeader, byte[], byte[]) record;
        try
        {
            record = await _channel.ReadRecordAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException)
        {
            _closed = true; // a TCP close without close_notify: the end of what the server says (SslStream reads 0 too)
            return;
        }

        var (header, headerBytes, fragment) = record;
        var (type, plaintext) = _protection.Open(header, headerBytes, fragment)
            ?? throw new IOException("a record that does not authenticate (bad_record_mac)");
        switch (type)
        {
            case TlsContentType.ApplicationData:
                _plain = plaintext;
                _offset = 0;
                break;
            case TlsContentType.Alert when plaintext is [_, 0]:
                _closed = true; // close_notify
                break;
            case TlsContentType.Alert when plaintext is [1, 90 or 100] && _warnings++ < EngineTlsClient.MaxWarningAlerts:
                // user_canceled and a TLS 1.2 no_renegotiation warning do not end the session; TLS 1.3 treats every other
                // alert as fatal whatever its level (RFC 8446 §6), and so does this reader.
                break;
            case TlsContentType.Alert when plaintext is [_, var description]:
                throw new TlsAlertReceivedException(description);
            case TlsContentType.Handshake:
                _postHandshake.Append(plaintext);
                while (_postHandshake.Next() is { } message)
                {
                    if (_protection.AfterHandshake(message) is { } answer)
                    {
                        await _channel.WriteAsync(answer).ConfigureAwait(false);
                    }
                }

                break;
            default:
                throw new IOException($"a {type} record after the handshake");
        }
    }
}
