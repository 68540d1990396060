namespace XmppScanCluster.ScanNode.Xmpp;

/// <summary>What kind of markup a <see cref="MarkupScanner"/> token is.</summary>
internal enum MarkupToken
{
    /// <summary>Character data up to the next <c>&lt;</c> (or as much as has arrived).</summary>
    Text,

    /// <summary><c>&lt;name …&gt;</c>: opens an element.</summary>
    StartTag,

    /// <summary><c>&lt;name …/&gt;</c>: an element without content.</summary>
    EmptyTag,

    /// <summary><c>&lt;/name&gt;</c>.</summary>
    EndTag,

    /// <summary>A processing instruction (the XML declaration too), a comment or a CDATA section: no effect on nesting.</summary>
    Other,

    /// <summary><c>&lt;!DOCTYPE</c> or any other <c>&lt;!</c> declaration: never accepted from a server.</summary>
    Declaration,
}

/// <summary>
/// Finds where the next piece of markup ends in the bytes of an XMPP stream, without interpreting it: enough to know
/// when a top-level element is complete (start and end tags nest; a <c>'&gt;'</c> inside a quoted attribute value
/// does not end a tag, nor does one inside a comment, processing instruction or CDATA section). What the markup means
/// — names, namespaces, entities, well-formedness — is left to <see cref="System.Xml.XmlReader"/> on the complete
/// element, so a scanner that is too lenient can only make a malformed element reach the XML reader, which refuses it.
/// </summary>
internal static class MarkupScanner
{
    /// <summary>The token at the start of <paramref name="data"/>: false when more bytes are needed to see its end
    /// (text is complete as far as it goes: it needs no end).</summary>
    public static bool TryNext(ReadOnlySpan<byte> data, out MarkupToken token, out int length)
    {
        token = MarkupToken.Text;
        length = 0;
        if (data.IsEmpty) return false;
        if (data[0] != (byte)'<')
        {
            var lt = data.IndexOf((byte)'<');
            length = lt < 0 ? data.Length : lt;
            return true;
        }

        if (data.Length < 2) return false;
        switch (data[1])
        {
            case (byte)'?':
                token = MarkupToken.Other;
                return TryEndAfter(data, "?>"u8, 2, out length);
            case (byte)'/':
                token = MarkupToken.EndTag;
                return TryEndAfter(data, ">"u8, 2, out length);
            case (byte)'!':
                if (data.Length < 4) return false;
                if (data[2] == (byte)'-' && data[3] == (byte)'-')
                {
                    token = MarkupToken.Other;
                    return TryEndAfter(data, "-->"u8, 4, out length);
                }
                if (data.Length < 9) return !"<![CDATA["u8.StartsWith(data) && Declaration(out token, out length);
                if (data.StartsWith("<![CDATA["u8))
                {
                    token = MarkupToken.Other;
                    return TryEndAfter(data, "]]>"u8, 9, out length);
                }
                return Declaration(out token, out length);
            default:
                return TryTag(data, out token, out length);
        }
    }

    // A declaration is refused as soon as it is seen: its extent (an internal subset nests brackets) does not matter.
    private static bool Declaration(out MarkupToken token, out int length)
    {
        token = MarkupToken.Declaration;
        length = 2;
        return true;
    }

    private static bool TryEndAfter(ReadOnlySpan<byte> data, ReadOnlySpan<byte> end, int from, out int length)
    {
        var at = data[from..].IndexOf(end);
        length = at < 0 ? 0 : from + at + end.Length;
        return at >= 0;
    }

    // A start or empty-element tag: up to the first '>' outside a quoted attribute value (XML 1.0 §3.1, AttValue).
    // Searched with IndexOfAny (vectorized), not byte by byte: an unfinished tag is scanned again from its start after
    // every read, so a server dripping a long tag one byte per read costs time quadratic in the tag's length (bounded by
    // the unit's 64 KiB); this keeps the constant small.
    private static bool TryTag(ReadOnlySpan<byte> data, out MarkupToken token, out int length)
    {
        token = MarkupToken.StartTag;
        length = 0;
        byte quote = 0;
        var i = 1;
        while (true)
        {
            var rest = data[i..];
            var next = quote == 0 ? rest.IndexOfAny("'\">"u8) : rest.IndexOf(quote);
            if (next < 0) return false;
            i += next;
            var b = data[i];
            if (quote != 0)
            {
                quote = 0;
            }
            else if (b != (byte)'>')
            {
                quote = b;
            }
            else
            {
                if (data[i - 1] == (byte)'/') token = MarkupToken.EmptyTag;
                length = i + 1;
                return true;
            }
            i++;
        }
    }
}
