namespace XmppScanCluster.ScanNode.Certificates;

/// <summary>
/// Checks the outer TLV of a DER certificate before any ASN.1 library sees it, so truncation, garbage
/// lengths and trailing bytes get a precise message (X.690 §8.1.2–8.1.3).
/// <code>
/// 0x30            SEQUENCE, constructed
/// 0x00–0x7F       short-form length
/// 0x81–0x84 N..   long-form length in 1–4 big-endian bytes (0x80 = indefinite, BER only)
/// </code>
/// </summary>
internal static class DerFrame
{
    private const byte SequenceTag = 0x30;
    private const int TagOffset = 0;
    private const int LengthOffset = 1;

    public static bool Check(ReadOnlySpan<byte> der, int maxBytes, out string? error)
    {
        error = null;
        if (der.IsEmpty)
        {
            error = "empty: no certificate bytes";
            return false;
        }

        if (der.Length > maxBytes)
        {
            error = $"too large: {der.Length} bytes (limit {maxBytes})";
            return false;
        }

        if (der[TagOffset] != SequenceTag)
        {
            error = $"malformed: starts with 0x{der[TagOffset]:x2}, not a SEQUENCE (0x30)";
            return false;
        }

        if (der.Length < 2)
        {
            error = "truncated: no length after the SEQUENCE tag";
            return false;
        }

        var first = der[LengthOffset];
        if (first < 0x80)
        {
            return CheckContent(der.Length, 2, first, out error);
        }

        if (first == 0x80)
        {
            return true; // Indefinite length (BER): let the ASN.1 reader find the end-of-contents octets.
        }

        var count = first & 0x7F;
        if (count > 4)
        {
            error = $"malformed: length field of {count} bytes";
            return false;
        }

        if (der.Length < 2 + count)
        {
            error = $"truncated: {der.Length} bytes, inside the length field";
            return false;
        }

        long length = 0;
        for (var i = 0; i < count; i++)
        {
            length = (length << 8) | der[2 + i];
        }

        return CheckContent(der.Length, 2 + count, length, out error);
    }

    private static bool CheckContent(int total, int headerLength, long contentLength, out string? error)
    {
        var expected = headerLength + contentLength;
        if (expected > total)
        {
            error = $"truncated: declared length {contentLength} needs {expected} bytes, got {total}";
            return false;
        }

        if (expected < total)
        {
            error = $"trailing data: {total - expected} bytes after the certificate";
            return false;
        }

        error = null;
        return true;
    }
}
