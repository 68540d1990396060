using XmppScanCluster.ScanNode.Tls;

namespace XmppScanCluster.ScanNode.SessionEngine;

/// <summary>
/// Splits the payload of handshake records into handshake messages (RFC 8446 §5.1: a message may span records and a
/// record may carry several). Bounded by <see cref="ScanLimits.MaxHandshakeMessageBytes"/> per message.
/// </summary>
internal sealed class HandshakeMessageBuffer(int maxMessageBytes)
{
    private const int HeaderSize = 4;
    private byte[] _buffer = [];
    private int _count;

    /// <summary>True when bytes of an unfinished message are held (a key change must not happen then, §5.1).</summary>
    public bool HasPartial => _count > 0;

    public void Append(ReadOnlySpan<byte> payload)
    {
        if (_count + payload.Length > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_count + payload.Length, 2 * _buffer.Length));
        }

        payload.CopyTo(_buffer.AsSpan(_count));
        _count += payload.Length;
    }

    /// <summary>The next whole message (header included), or null when more bytes are needed.</summary>
    /// <exception cref="EngineHandshakeException">A message larger than the bound.</exception>
    public TlsMessage? Next()
    {
        if (_count < HeaderSize)
        {
            return null;
        }

        var length = (_buffer[1] << 16) | (_buffer[2] << 8) | _buffer[3];
        if (length > maxMessageBytes)
        {
            throw EngineHandshakeException.Protocol($"a handshake message of {length} bytes (more than {maxMessageBytes})");
        }

        if (_count < HeaderSize + length)
        {
            return null;
        }

        var raw = _buffer[..(HeaderSize + length)];
        _buffer.AsSpan(raw.Length, _count - raw.Length).CopyTo(_buffer);
        _count -= raw.Length;
        if (_count == 0 && _buffer.Length > 4096)
        {
            _buffer = []; // a certificate chain's buffer is not kept for the session's life
        }

        return new TlsMessage(TlsContentType.Handshake, 0x0303, (TlsHandshakeType)raw[0], raw);
    }
}
