using System.Buffers.Binary;
using System.Text;

namespace XmppScanCluster.ScanNode.Dns;

/// <summary>
/// A bounded cursor over one whole DNS message. Every read checks the remaining length first and returns
/// false instead of throwing; names are decompressed against the whole message (RFC 1035 §4.1.4).
/// </summary>
internal ref struct DnsReader
{
    /// <summary>Longest name on the wire, length octets and terminal zero included (RFC 1035 §2.3.4).</summary>
    internal const int MaxNameOctets = 255;

    /// <summary>Longest label (RFC 1035 §2.3.4); larger length octets are the reserved 01/10 label types.</summary>
    internal const int MaxLabelOctets = 63;

    /// <summary>Compression pointers followed per name. Backward-only pointers already end; this bounds the work.</summary>
    internal const int MaxPointerHops = 32;

    private readonly ReadOnlySpan<byte> _message;

    internal DnsReader(ReadOnlySpan<byte> message, int position = 0)
    {
        _message = message;
        Position = position;
    }

    internal int Position { get; private set; }

    internal readonly int Remaining => _message.Length - Position;

    internal bool TryReadUInt8(out byte value)
    {
        value = 0;
        if (Remaining < 1)
        {
            return false;
        }

        value = _message[Position];
        Position += 1;
        return true;
    }

    internal bool TryReadUInt16(out ushort value)
    {
        value = 0;
        if (Remaining < 2)
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt16BigEndian(_message.Slice(Position, 2));
        Position += 2;
        return true;
    }

    internal bool TryReadUInt32(out uint value)
    {
        value = 0;
        if (Remaining < 4)
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt32BigEndian(_message.Slice(Position, 4));
        Position += 4;
        return true;
    }

    internal bool TryReadBytes(int length, out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        if (length < 0 || Remaining < length)
        {
            return false;
        }

        bytes = _message.Slice(Position, length);
        Position += length;
        return true;
    }

    /// <summary>
    /// Reads a possibly compressed domain name (RFC 1035 §3.1, §4.1.4) as lower-case presentation text without
    /// the trailing dot ("." for the root). A pointer must point strictly before the octet it is read from, and
    /// at most <see cref="MaxPointerHops"/> are followed. Label octets outside printable ASCII, '.' and '\' are
    /// written as \DDD (RFC 1035 §5.1) so a hostile label cannot forge a dot.
    /// </summary>
    internal bool TryReadName(out string name, out string? error)
    {
        name = "";
        var text = new StringBuilder(64);
        int cursor = Position;
        int resumeAt = -1;
        int octets = 1; // the terminal zero-length label
        int hops = 0;
        while (true)
        {
            if (cursor >= _message.Length)
            {
                error = "name runs past the end of the message";
                return false;
            }

            byte length = _message[cursor];
            if ((length & 0xC0) == 0xC0)
            {
                if (cursor + 1 >= _message.Length)
                {
                    error = "compression pointer runs past the end of the message";
                    return false;
                }

                int target = ((length & 0x3F) << 8) | _message[cursor + 1];
                if (target >= cursor)
                {
                    error = $"compression pointer at offset {cursor} points forward or to itself (to {target})";
                    return false;
                }

                if (++hops > MaxPointerHops)
                {
                    error = $"more than {MaxPointerHops} compression pointers in one name";
                    return false;
                }

                if (resumeAt < 0)
                {
                    resumeAt = cursor + 2;
                }

                cursor = target;
                continue;
            }

            if (length > MaxLabelOctets)
            {
                error = $"label length octet 0x{length:x2} at offset {cursor}: labels are at most 63 octets (RFC 1035 §2.3.4)";
                return false;
            }

            if (length == 0)
            {
                cursor += 1;
                break;
            }

            octets += 1 + length;
            if (octets > MaxNameOctets)
            {
                error = "name longer than 255 octets (RFC 1035 §2.3.4)";
                return false;
            }

            if (cursor + 1 + length > _message.Length)
            {
                error = "label runs past the end of the message";
                return false;
            }

            if (text.Length > 0)
            {
                text.Append('.');
            }

            AppendLabel(text, _message.Slice(cursor + 1, length));
            cursor += 1 + length;
        }

        Position = resumeAt >= 0 ? resumeAt : cursor;
        name = text.Length == 0 ? "." : text.ToString();
        error = null;
        return true;
    }

    private static void AppendLabel(StringBuilder text, ReadOnlySpan<byte> label)
    {
        foreach (byte b in label)
        {
            if (b is >= (byte)'A' and <= (byte)'Z')
            {
                text.Append((char)(b + 32));
            }
            else if (b is > 0x20 and < 0x7F and not (byte)'.' and not (byte)'\\')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('\\').Append(b.ToString("D3", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }
}
