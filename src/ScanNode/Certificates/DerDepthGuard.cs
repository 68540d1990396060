namespace XmppScanCluster.ScanNode.Certificates;

/// <summary>
/// Walks DER TLVs (X.690 §8.1) before BouncyCastle sees them, so hostile input cannot make its recursive
/// parser overflow the stack (a 64 KiB blob of nested SEQUENCE headers is 30 000 levels deep). Constructed
/// values are descended; OCTET STRING and BIT STRING contents that themselves parse as DER are descended too,
/// since OCSP wraps the BasicOCSPResponse in an OCTET STRING (RFC 6960 §4.2.1). Indefinite lengths (BER) are
/// refused: OCSP responses are DER.
/// <code>
/// tag         1 byte (high-tag-number form 0x1F refused: not used by OCSP or X.509)
/// length      0x00–0x7F short form; 0x81–0x84 + 1–4 bytes long form; 0x80 indefinite
/// contents    length bytes
/// </code>
/// </summary>
internal static class DerDepthGuard
{
    private const byte ConstructedBit = 0x20;
    private const byte HighTagNumber = 0x1F;
    private const byte BitStringTag = 0x03;
    private const byte OctetStringTag = 0x04;

    /// <summary>True when <paramref name="der"/> is exactly one well-formed TLV nested at most <paramref name="maxDepth"/> deep.</summary>
    public static bool Check(ReadOnlySpan<byte> der, int maxDepth, out string? error)
    {
        error = null;
        var budget = 4096; // TLVs visited at most: bounds the work of trying encapsulated contents.
        if (!TryWalk(der, 0, maxDepth, ref budget, out var consumed, ref error))
        {
            return false;
        }

        if (consumed != der.Length)
        {
            error = $"trailing data: {der.Length - consumed} bytes after the DER value";
            return false;
        }

        return true;
    }

    private static bool TryWalk(ReadOnlySpan<byte> data, int depth, int maxDepth, ref int budget, out int consumed, ref string? error)
    {
        consumed = 0;
        if (depth > maxDepth)
        {
            error = $"nested deeper than {maxDepth} levels";
            return false;
        }

        if (--budget < 0)
        {
            error = "too many DER values";
            return false;
        }

        if (!TryReadHeader(data, out var tag, out var headerLength, out var length, ref error))
        {
            return false;
        }

        var contents = data.Slice(headerLength, length);
        consumed = headerLength + length;
        if ((tag & ConstructedBit) != 0)
        {
            while (!contents.IsEmpty)
            {
                if (!TryWalk(contents, depth + 1, maxDepth, ref budget, out var used, ref error))
                {
                    return false;
                }

                contents = contents[used..];
            }

            return true;
        }

        if (tag is OctetStringTag or BitStringTag)
        {
            var inner = tag == BitStringTag && !contents.IsEmpty ? contents[1..] : contents;
            if (LooksLikeDer(inner))
            {
                // Encapsulated DER counts against the same depth limit; if it is not DER after all it is opaque bytes.
                string? innerError = null;
                var saved = budget;
                if (!TryWalk(inner, depth + 1, maxDepth, ref budget, out var used, ref innerError) || used != inner.Length)
                {
                    if (innerError is not null && innerError.StartsWith("nested deeper", StringComparison.Ordinal))
                    {
                        error = innerError;
                        return false;
                    }

                    budget = saved - 1;
                }
            }
        }

        return true;
    }

    private static bool LooksLikeDer(ReadOnlySpan<byte> data) => data.Length >= 2 && (data[0] & ConstructedBit) != 0 && (data[0] & HighTagNumber) != HighTagNumber;

    private static bool TryReadHeader(ReadOnlySpan<byte> data, out byte tag, out int headerLength, out int length, ref string? error)
    {
        tag = 0;
        headerLength = 0;
        length = 0;
        if (data.Length < 2)
        {
            error = "truncated DER header";
            return false;
        }

        tag = data[0];
        if ((tag & HighTagNumber) == HighTagNumber)
        {
            error = $"high tag number form 0x{tag:x2}";
            return false;
        }

        var first = data[1];
        if (first < 0x80)
        {
            headerLength = 2;
            length = first;
        }
        else if (first == 0x80)
        {
            error = "indefinite length (BER) in DER";
            return false;
        }
        else
        {
            var count = first & 0x7F;
            if (count > 4 || data.Length < 2 + count)
            {
                error = "bad or truncated long-form length";
                return false;
            }

            long value = 0;
            for (var i = 0; i < count; i++)
            {
                value = (value << 8) | data[2 + i];
            }

            if (value > int.MaxValue)
            {
                error = "length too large";
                return false;
            }

            headerLength = 2 + count;
            length = (int)value;
        }

        if (data.Length - headerLength < length)
        {
            error = $"truncated: declared length {length}, {data.Length - headerLength} bytes left";
            return false;
        }

        return true;
    }
}
