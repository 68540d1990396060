using System.Buffers;
using System.Xml;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Xmpp;

/// <summary>
/// Parses complete units of one XMPP stream with a synchronous <see cref="XmlReader"/> (DTD prohibited, no resolver):
/// the header's start tag with what precedes it, then each top-level element inside that header again — closed by a
/// synthetic end tag — so prefixes and the default namespace the header declares apply as in the stream itself, and
/// XmlReader's depth is the stream's. A reader over a unit sizes its buffers to the unit (a few hundred bytes), not
/// to the 32 K an async reader takes.
/// </summary>
internal sealed class StreamUnitParser
{
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreWhitespace = true,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        MaxCharactersFromEntities = 1024,
        ConformanceLevel = ConformanceLevel.Document,
    };

    private readonly byte[] _open;
    private readonly byte[] _close;
    private readonly int _maxDepth;

    private StreamUnitParser(byte[] open, byte[] close, int maxDepth, StreamHeader header)
    {
        _open = open;
        _close = close;
        _maxDepth = maxDepth;
        Header = header;
    }

    /// <summary>The header's attributes.</summary>
    public StreamHeader Header { get; }

    /// <summary>The parser of the stream whose prolog and header start tag are <paramref name="unit"/> (the tag at
    /// <paramref name="tagOffset"/>); null when that tag is not <c>&lt;stream:stream&gt;</c>, with what it is in
    /// <paramref name="root"/>.</summary>
    public static StreamUnitParser? Open(ReadOnlySpan<byte> unit, int tagOffset, int maxDepth, out XmlElementLite root)
    {
        var close = CloseTag(unit[tagOffset..]);
        var rented = Concat(unit, [], close, out var length);
        try
        {
            using var reader = Reader(rented, length);
            while (Read(reader, maxDepth))
            {
                if (reader.NodeType != XmlNodeType.Element) continue;
                root = new XmlElementLite(reader.NamespaceURI, reader.LocalName);
                return root.Is(XmppNames.Streams, "stream")
                    ? new StreamUnitParser(unit.ToArray(), close, maxDepth, HeaderAttributes(reader))
                    : null;
            }
            throw new XmlException("no element in the stream header");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>One complete top-level element of the stream.</summary>
    public XmlElementLite Element(ReadOnlySpan<byte> element)
    {
        var rented = Concat(_open, element, _close, out var length);
        try
        {
            using var reader = Reader(rented, length);
            while (Read(reader, _maxDepth))
            {
                if (reader.NodeType == XmlNodeType.Element && reader.Depth == 1) return ReadElement(reader, _maxDepth);
            }
            throw new XmlException("no element");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>A complete document of one element (what a server sent instead of a stream header).</summary>
    public static XmlElementLite Document(ReadOnlySpan<byte> document, int maxDepth)
    {
        var rented = Concat(document, [], [], out var length);
        try
        {
            using var reader = Reader(rented, length);
            while (Read(reader, maxDepth))
            {
                if (reader.NodeType == XmlNodeType.Element) return ReadElement(reader, maxDepth);
            }
            throw new XmlException("no element");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The three parts in one pooled array (returned by the caller once its reader is done).</summary>
    private static byte[] Concat(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> third, out int length)
    {
        length = first.Length + second.Length + third.Length;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        first.CopyTo(rented);
        second.CopyTo(rented.AsSpan(first.Length));
        third.CopyTo(rented.AsSpan(first.Length + second.Length));
        return rented;
    }

    // A seekable stream of known length: XmlReader sizes its buffers to it (at most 4 KiB for a unit this small).
    private static XmlReader Reader(byte[] bytes, int length) =>
        XmlReader.Create(new MemoryStream(bytes, 0, length, writable: false), Settings);

    // "</" + the tag's qualified name + ">": the name runs from after '<' to the first space, '/' or '>' (XML 1.0 §3.1).
    private static byte[] CloseTag(ReadOnlySpan<byte> tag)
    {
        var name = tag[1..];
        var end = name.IndexOfAny(" \t\r\n/>"u8);
        name = end < 0 ? name : name[..end];
        return [(byte)'<', (byte)'/', .. name, (byte)'>'];
    }

    private static StreamHeader HeaderAttributes(XmlReader reader)
    {
        string? id = null, from = null, version = null, content = null;
        while (reader.MoveToNextAttribute())
        {
            if (reader.NamespaceURI.Length == 0)
            {
                switch (reader.LocalName)
                {
                    case "id": id = ServerText.BoundOrNull(reader.Value, ServerText.MaxName); break;
                    case "from": from = ServerText.BoundOrNull(reader.Value, ServerText.MaxName); break;
                    case "version": version = ServerText.BoundOrNull(reader.Value, 32); break;
                }
            }
            else if (reader.LocalName == "xmlns")
            {
                content = ServerText.BoundOrNull(reader.Value, ServerText.MaxName);
            }
        }
        reader.MoveToElement();
        return new StreamHeader(id, from, version, content);
    }

    // The reader is on a start element: read it and everything inside into a bounded tree.
    private static XmlElementLite ReadElement(XmlReader reader, int maxDepth)
    {
        var root = new XmlElementLite(reader.NamespaceURI, reader.LocalName);
        if (reader.IsEmptyElement) return root;
        var open = new Stack<XmlElementLite>();
        open.Push(root);
        while (Read(reader, maxDepth))
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    var child = new XmlElementLite(reader.NamespaceURI, reader.LocalName);
                    open.Peek().AddChild(child);
                    if (!reader.IsEmptyElement) open.Push(child);
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace:
                    open.Peek().AppendText(reader.Value);
                    break;
                case XmlNodeType.EndElement:
                    open.Pop();
                    if (open.Count == 0) return root;
                    break;
            }
        }
        throw new XmlException("unterminated <" + root.Name + ">");
    }

    private static bool Read(XmlReader reader, int maxDepth)
    {
        var more = reader.Read();
        if (more && reader.Depth > maxDepth)
        {
            throw XmppProtocolException.Of(FailureKind.LimitExceeded, $"XML nesting deeper than {maxDepth}");
        }
        return more;
    }
}
