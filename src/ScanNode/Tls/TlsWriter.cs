using System.Buffers;
using System.Buffers.Binary;

namespace XmppScanCluster.ScanNode.Tls;

/// <summary>A reserved length field, filled in by <see cref="TlsWriter.EndVector"/>.</summary>
/// <param name="Offset">Where the length bytes start.</param>
/// <param name="Size">1, 2 or 3 bytes.</param>
public readonly record struct LengthPrefix(int Offset, int Size);

/// <summary>
/// Writes TLS structures we build ourselves, big-endian, with length fields reserved first and back-filled
/// when the vector is closed (so nested vectors need no pre-computed sizes). Our own data only: an oversized
/// vector is a programming error and throws. The buffer is rented from <see cref="ArrayPool{T}.Shared"/> (one
/// hello per connection, issue 14): dispose the writer to give it back; a writer that is not disposed only
/// leaves its buffer to the collector.
/// </summary>
public sealed class TlsWriter : IDisposable
{
    private byte[] _buffer;
    private int _length;

    public TlsWriter(int initialCapacity = 512) => _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(16, initialCapacity));

    /// <summary>Bytes written so far.</summary>
    public int Length => _length;

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public byte[] ToArray() => WrittenSpan.ToArray();

    /// <summary>Forgets what was written, keeping the buffer.</summary>
    public void Reset() => _length = 0;

    /// <summary>Returns the buffer to the pool; the writer must not be used afterwards.</summary>
    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _length = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void WriteUInt8(byte value) => Reserve(1)[0] = value;

    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Reserve(2), value);

    public void WriteUInt24(int value)
    {
        if ((uint)value > 0xFFFFFF)
        {
            throw new ArgumentOutOfRangeException(nameof(value));
        }

        var s = Reserve(3);
        s[0] = (byte)(value >> 16);
        s[1] = (byte)(value >> 8);
        s[2] = (byte)value;
    }

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Reserve(4), value);

    public void WriteBytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Reserve(bytes.Length));

    public void WriteZeros(int count) => Reserve(count).Clear();

    /// <summary>Reserves a 1-byte length for an <c>opaque x&lt;0..2^8-1&gt;</c>.</summary>
    public LengthPrefix BeginVector8() => Begin(1);

    /// <summary>Reserves a 2-byte length.</summary>
    public LengthPrefix BeginVector16() => Begin(2);

    /// <summary>Reserves a 3-byte length.</summary>
    public LengthPrefix BeginVector24() => Begin(3);

    /// <summary>Back-fills the length of everything written since <paramref name="prefix"/> was reserved.</summary>
    public void EndVector(LengthPrefix prefix)
    {
        var len = _length - prefix.Offset - prefix.Size;
        var max = (1 << (8 * prefix.Size)) - 1;
        if (len < 0 || len > max)
        {
            throw new InvalidOperationException($"Vector of {len} bytes does not fit a {prefix.Size}-byte length.");
        }

        var s = _buffer.AsSpan(prefix.Offset, prefix.Size);
        for (var i = prefix.Size - 1; i >= 0; i--)
        {
            s[i] = (byte)len;
            len >>= 8;
        }
    }

    /// <summary>Writes a whole vector with a <paramref name="lengthSize"/>-byte length.</summary>
    public void WriteVector(int lengthSize, ReadOnlySpan<byte> bytes)
    {
        var p = Begin(lengthSize);
        WriteBytes(bytes);
        EndVector(p);
    }

    private LengthPrefix Begin(int size)
    {
        var p = new LengthPrefix(_length, size);
        Reserve(size).Clear();
        return p;
    }

    private Span<byte> Reserve(int count)
    {
        if (_length + count > _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + count));
            _buffer.AsSpan(0, _length).CopyTo(bigger);
            if (_buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
            }

            _buffer = bigger;
        }

        var s = _buffer.AsSpan(_length, count);
        _length += count;
        return s;
    }
}
