using System.Buffers.Binary;

namespace XmppScanCluster.ScanNode.Tls;

/// <summary>
/// A forward-only reader over untrusted TLS bytes. Every read checks the remaining length first and returns
/// false instead of throwing; a failed read leaves the position unchanged (the TlsFrameHelper idea).
/// Vectors are RFC 5246 §4.3 <c>opaque x&lt;0..2^n-1&gt;</c>: a big-endian length of 1, 2 or 3 bytes, then the bytes.
/// </summary>
public ref struct TlsSpanReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private int _position;

    public TlsSpanReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    /// <summary>Bytes consumed so far.</summary>
    public readonly int Position => _position;

    /// <summary>Bytes left.</summary>
    public readonly int Remaining => _buffer.Length - _position;

    /// <summary>True when everything has been read.</summary>
    public readonly bool IsEmpty => _position >= _buffer.Length;

    /// <summary>The unread bytes.</summary>
    public readonly ReadOnlySpan<byte> RemainingSpan => _buffer[_position..];

    public bool TryReadUInt8(out byte value)
    {
        if (Remaining < 1)
        {
            value = 0;
            return false;
        }

        value = _buffer[_position];
        _position += 1;
        return true;
    }

    public bool TryReadUInt16(out ushort value)
    {
        if (Remaining < 2)
        {
            value = 0;
            return false;
        }

        value = BinaryPrimitives.ReadUInt16BigEndian(_buffer.Slice(_position, 2));
        _position += 2;
        return true;
    }

    public bool TryReadUInt24(out int value)
    {
        if (Remaining < 3)
        {
            value = 0;
            return false;
        }

        var s = _buffer.Slice(_position, 3);
        value = (s[0] << 16) | (s[1] << 8) | s[2];
        _position += 3;
        return true;
    }

    public bool TryReadUInt32(out uint value)
    {
        if (Remaining < 4)
        {
            value = 0;
            return false;
        }

        value = BinaryPrimitives.ReadUInt32BigEndian(_buffer.Slice(_position, 4));
        _position += 4;
        return true;
    }

    public bool TryReadBytes(int count, out ReadOnlySpan<byte> bytes)
    {
        if (count < 0 || Remaining < count)
        {
            bytes = default;
            return false;
        }

        bytes = _buffer.Slice(_position, count);
        _position += count;
        return true;
    }

    public bool TrySkip(int count) => TryReadBytes(count, out _);

    /// <summary><c>opaque x&lt;0..2^8-1&gt;</c>.</summary>
    public bool TryReadVector8(out ReadOnlySpan<byte> bytes)
    {
        var start = _position;
        if (TryReadUInt8(out var len) && TryReadBytes(len, out bytes))
        {
            return true;
        }

        _position = start;
        bytes = default;
        return false;
    }

    /// <summary><c>opaque x&lt;0..2^16-1&gt;</c>.</summary>
    public bool TryReadVector16(out ReadOnlySpan<byte> bytes)
    {
        var start = _position;
        if (TryReadUInt16(out var len) && TryReadBytes(len, out bytes))
        {
            return true;
        }

        _position = start;
        bytes = default;
        return false;
    }

    /// <summary><c>opaque x&lt;0..2^24-1&gt;</c>.</summary>
    public bool TryReadVector24(out ReadOnlySpan<byte> bytes)
    {
        var start = _position;
        if (TryReadUInt24(out var len) && TryReadBytes(len, out bytes))
        {
            return true;
        }

        _position = start;
        bytes = default;
        return false;
    }
}
