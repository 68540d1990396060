using System.Buffers.Binary;

namespace XmppScanCluster.ScanNode.Tls;

/// <summary>A TLS record header (RFC 5246 §6.2.1).</summary>
/// <param name="ContentType">The record type (20–24).</param>
/// <param name="Version">The record layer version (0x0300–0x0304).</param>
/// <param name="Length">Fragment length.</param>
public readonly record struct TlsRecordHeader(TlsContentType ContentType, ushort Version, int Length)
{
    /// <summary>Header size on the wire.</summary>
    public const int Size = 5;
}

/// <summary>
/// Reads record headers.
/// <code>
/// struct {
///     ContentType type;            offset 0, 1 byte
///     ProtocolVersion version;     offset 1, 2 bytes
///     uint16 length;               offset 3, 2 bytes  (≤ 2^14 + 2048, RFC 5246 §6.2.3)
///     opaque fragment[length];     offset 5
/// } TLSPlaintext/TLSCiphertext;
/// </code>
/// </summary>
public static class TlsRecordParser
{
    private const int TypeOffset = 0;
    private const int VersionOffset = 1;
    private const int LengthOffset = 3;

    /// <summary>
    /// Parses the header at the start of <paramref name="data"/>. Complete means the header is valid; the
    /// fragment may still be incomplete (compare <see cref="TlsRecordHeader.Length"/> with what is buffered).
    /// </summary>
    public static ParseStatus TryReadHeader(ReadOnlySpan<byte> data, int maxRecordBytes, out TlsRecordHeader header, out string? error)
    {
        header = default;
        error = null;
        if (data.Length > TypeOffset && !IsKnownType(data[TypeOffset]))
        {
            error = (data[TypeOffset] & 0x80) != 0
                ? "SSLv2-format record where a TLS record was expected"
                : $"not a TLS record (content type {data[TypeOffset]})";
            return ParseStatus.Invalid;
        }

        if (data.Length > VersionOffset && data[VersionOffset] != 3)
        {
            error = $"record version major {data[VersionOffset]} is not 3";
            return ParseStatus.Invalid;
        }

        if (data.Length < TlsRecordHeader.Size)
        {
            return ParseStatus.NeedMoreData;
        }

        var version = BinaryPrimitives.ReadUInt16BigEndian(data[VersionOffset..]);
        var length = BinaryPrimitives.ReadUInt16BigEndian(data[LengthOffset..]);
        header = new TlsRecordHeader((TlsContentType)data[TypeOffset], version, length);
        if (length > maxRecordBytes)
        {
            // The header is returned so that callers can tell a limit from garbage.
            error = $"record of {length} bytes exceeds the limit of {maxRecordBytes}";
            return ParseStatus.Invalid;
        }

        return ParseStatus.Complete;
    }

    private static bool IsKnownType(byte b) => b is >= 20 and <= 24;
}
