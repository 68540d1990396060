using System.Xml;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Xmpp;

/// <summary>The attributes of a server's <c>&lt;stream:stream&gt;</c> header (RFC 6120 §4.7).</summary>
internal sealed record StreamHeader(string? Id, string? From, string? Version, string? ContentNamespace);

/// <summary>
/// Reads one XMPP stream incrementally with <see cref="XmlReader"/> (DTD prohibited, no resolver, async): the
/// header that never closes, then one top-level element at a time as a bounded <see cref="XmlElementLite"/>.
/// Decisions are taken on elements, never on bytes. The byte budget and read deadlines come from the
/// <see cref="Transport.BoundedStream"/> underneath; the nesting depth is checked here.
/// </summary>
/// <remarks>
/// XmlReader only asks its stream for more bytes when it has no complete token buffered, and a network read
/// returns what has arrived, so it never waits for data after <c>&lt;proceed/&gt;</c>. What it may have read
/// beyond an element is bounded by the caller's stream (<see cref="TagChunkStream"/>: never past a tag's end).
/// </remarks>
internal sealed class XmppStreamReader : IDisposable
{
    private readonly XmlReader _xml;
    private readonly int _maxDepth;

    // One settings object for every reader (a scan opens one per connection); XmlReader.Create only reads it.
    private static readonly XmlReaderSettings Settings = new()
    {
        Async = true,
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreWhitespace = true,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = false,
        MaxCharactersFromEntities = 1024,
        ConformanceLevel = ConformanceLevel.Document,
    };

    public XmppStreamReader(Stream stream, int maxDepth)
    {
        _maxDepth = maxDepth;
        _xml = XmlReader.Create(stream, Settings);
    }

    /// <summary>Reads up to and including the server's stream header.</summary>
    /// <exception cref="XmppProtocolException">Something other than a stream header, or a stream error instead of one.</exception>
    public async Task<StreamHeader> ReadHeaderAsync()
    {
        while (await ReadNodeAsync().ConfigureAwait(false))
        {
            if (_xml.NodeType != XmlNodeType.Element) continue;
            if (_xml.LocalName == "stream" && _xml.NamespaceURI == XmppNames.Streams)
            {
                return ReadHeaderAttributes();
            }
            if (_xml.LocalName == "error" && _xml.NamespaceURI == XmppNames.Streams)
            {
                // Not valid (an error needs a stream around it) but seen in the wild: report it as what it is.
                throw StreamErrorReader.ToException(await ReadElementAsync().ConfigureAwait(false));
            }
            throw XmppProtocolException.Of(FailureKind.ProtocolError,
                "expected <stream:stream>, got <" + ServerText.Bound(_xml.Name, ServerText.MaxName) + ">");
        }
        throw XmppProtocolException.Of(FailureKind.ConnectionClosed, "connection closed before the stream header");
    }

    /// <summary>Reads the next child of the stream (a depth-1 element) completely, with its subtree.</summary>
    /// <exception cref="XmppProtocolException">ConnectionClosed when the server closes the stream.</exception>
    public async Task<XmlElementLite> ReadTopLevelAsync()
    {
        while (await ReadNodeAsync().ConfigureAwait(false))
        {
            switch (_xml.NodeType)
            {
                case XmlNodeType.Element when _xml.Depth == 1:
                    return await ReadElementAsync().ConfigureAwait(false);
                case XmlNodeType.EndElement when _xml.Depth == 0:
                    throw XmppProtocolException.Of(FailureKind.ConnectionClosed, "the server closed the XMPP stream (</stream:stream>)");
            }
        }
        throw XmppProtocolException.Of(FailureKind.ConnectionClosed, "connection closed by the server");
    }

    private StreamHeader ReadHeaderAttributes()
    {
        string? id = null, from = null, version = null, content = null;
        while (_xml.MoveToNextAttribute())
        {
            if (_xml.NamespaceURI.Length == 0)
            {
                switch (_xml.LocalName)
                {
                    case "id": id = ServerText.BoundOrNull(_xml.Value, ServerText.MaxName); break;
                    case "from": from = ServerText.BoundOrNull(_xml.Value, ServerText.MaxName); break;
                    case "version": version = ServerText.BoundOrNull(_xml.Value, 32); break;
                }
            }
            else if (_xml.Prefix == "xmlns" || _xml.LocalName == "xmlns")
            {
                if (_xml.LocalName == "xmlns") content = ServerText.BoundOrNull(_xml.Value, ServerText.MaxName);
            }
        }
        _xml.MoveToElement();
        if (_xml.IsEmptyElement)
        {
            throw XmppProtocolException.Of(FailureKind.ConnectionClosed, "the server sent an empty stream (<stream:stream/>)");
        }
        return new StreamHeader(id, from, version, content);
    }

    // The reader is on a start element: read it and everything inside into a bounded tree.
    private async Task<XmlElementLite> ReadElementAsync()
    {
        var root = new XmlElementLite(_xml.NamespaceURI, _xml.LocalName);
        if (_xml.IsEmptyElement) return root;
        var open = new Stack<XmlElementLite>();
        open.Push(root);
        while (await ReadNodeAsync().ConfigureAwait(false))
        {
            switch (_xml.NodeType)
            {
                case XmlNodeType.Element:
                    var child = new XmlElementLite(_xml.NamespaceURI, _xml.LocalName);
                    open.Peek().AddChild(child);
                    if (!_xml.IsEmptyElement) open.Push(child);
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace:
                    open.Peek().AppendText(_xml.Value);
                    break;
                case XmlNodeType.EndElement:
                    open.Pop();
                    if (open.Count == 0) return root;
                    break;
            }
        }
        throw XmppProtocolException.Of(FailureKind.ConnectionClosed, "connection closed inside <" + root.Name + ">");
    }

    private async Task<bool> ReadNodeAsync()
    {
        bool more = await _xml.ReadAsync().ConfigureAwait(false);
        if (more && _xml.Depth > _maxDepth)
        {
            throw XmppProtocolException.Of(FailureKind.LimitExceeded, $"XML nesting deeper than {_maxDepth}");
        }
        return more;
    }

    public void Dispose() => _xml.Dispose();
}
