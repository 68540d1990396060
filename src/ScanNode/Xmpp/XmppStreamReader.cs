using System.Buffers;
using System.Xml;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Xmpp;

/// <summary>The attributes of a server's <c>&lt;stream:stream&gt;</c> header (RFC 6120 §4.7).</summary>
internal sealed record StreamHeader(string? Id, string? From, string? Version, string? ContentNamespace);

/// <summary>
/// Reads one XMPP stream: the header that never closes, then one top-level element at a time as a bounded
/// <see cref="XmlElementLite"/>. Bytes are gathered asynchronously until a unit (the header's start tag, or one whole
/// top-level element) is complete (<see cref="MarkupScanner"/>), and only then parsed, synchronously, by
/// <see cref="StreamUnitParser"/> (XmlReader, DTD prohibited, no resolver). Decisions are taken on elements, never on
/// bytes. The byte budget and read deadlines come from the stream underneath (<see cref="Transport.BoundedStream"/>);
/// a unit is bounded here too, and so is nesting.
/// </summary>
/// <remarks>
/// Why not an async XmlReader on the stream: every one allocates 32 K-byte and 32 K-char buffers, and a scan opens
/// one or two per endpoint — 57 % of all bytes a depth-session census allocated (dotnet-trace allocation ticks, 32
/// targets in flight, issue 14). A unit parsed whole needs buffers of its own size only.
/// A read is asked for only when the unit is incomplete, and a network read returns what has arrived, so the reader
/// never waits for data after <c>&lt;proceed/&gt;</c>; what it holds beyond a unit is bounded by the caller's stream
/// (<see cref="TagChunkStream"/>: never past a tag's end).
/// </remarks>
internal sealed class XmppStreamReader : IDisposable
{
    private const int InitialBufferBytes = 4096;

    private readonly Stream _source;
    private readonly int _maxDepth;
    private readonly int _maxUnitBytes;
    private byte[]? _buffer;
    private int _start; // first byte not yet consumed
    private int _end; // end of the bytes read
    private StreamUnitParser? _stream;

    /// <param name="source">The stream's bytes (bounded in bytes and time by the caller).</param>
    /// <param name="maxDepth">Deepest nesting accepted (the stream header is depth 0).</param>
    /// <param name="maxUnitBytes">Most bytes of one unit (a header with what precedes it, or one top-level element).</param>
    public XmppStreamReader(Stream source, int maxDepth, int maxUnitBytes = 64 * 1024)
    {
        _source = source;
        _maxDepth = maxDepth;
        _maxUnitBytes = maxUnitBytes;
        _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
    }

    /// <summary>Reads up to and including the server's stream header.</summary>
    /// <exception cref="XmppProtocolException">Something other than a stream header, or a stream error instead of one.</exception>
    public async Task<StreamHeader> ReadHeaderAsync()
    {
        // The prolog (XML declaration, comments) stays in the unit: it is parsed with the header, from the stream's start.
        var (kind, tagStart, end) = await NextTagAsync(skip: false).ConfigureAwait(false);
        if (kind == MarkupToken.StartTag)
        {
            var parser = StreamUnitParser.Open(Bytes(_start, end), tagStart - _start, _maxDepth, out var root);
            if (parser is not null)
            {
                _stream = parser;
                Consume(end);
                return parser.Header;
            }
            if (!root.Is(XmppNames.Streams, "error"))
            {
                throw XmppProtocolException.Of(FailureKind.ProtocolError,
                    "expected <stream:stream>, got <" + ServerText.Bound(root.Name, ServerText.MaxName) + ">");
            }
            // Not valid (an error needs a stream around it) but seen in the wild: report it as what it is.
            end = await ElementEndAsync(end).ConfigureAwait(false);
        }

        var element = StreamUnitParser.Document(Bytes(_start, end), _maxDepth);
        Consume(end);
        if (element.Is(XmppNames.Streams, "stream"))
        {
            throw XmppProtocolException.Of(FailureKind.ConnectionClosed, "the server sent an empty stream (<stream:stream/>)");
        }
        if (element.Is(XmppNames.Streams, "error")) throw StreamErrorReader.ToException(element);
        throw XmppProtocolException.Of(FailureKind.ProtocolError,
            "expected <stream:stream>, got <" + ServerText.Bound(element.Name, ServerText.MaxName) + ">");
    }

    /// <summary>Reads the next child of the stream (a depth-1 element) completely, with its subtree.</summary>
    /// <exception cref="XmppProtocolException">ConnectionClosed when the server closes the stream.</exception>
    public async Task<XmlElementLite> ReadTopLevelAsync()
    {
        var parser = _stream ?? throw new InvalidOperationException("the stream header has not been read");
        var (kind, _, end) = await NextTagAsync(skip: true).ConfigureAwait(false);
        if (kind == MarkupToken.StartTag) end = await ElementEndAsync(end).ConfigureAwait(false);
        var element = parser.Element(Bytes(_start, end));
        Consume(end);
        return element;
    }

    /// <summary>Scans from <see cref="_start"/> (reading as needed) to the next start or empty-element tag: its kind, start
    /// and end. Character data, comments and processing instructions before it are consumed when <paramref name="skip"/>
    /// (between top-level elements), kept otherwise (the prolog). An end tag here is the server closing the stream.</summary>
    private async Task<(MarkupToken Kind, int Start, int End)> NextTagAsync(bool skip)
    {
        var at = _start;
        while (true)
        {
            if (!MarkupScanner.TryNext(Bytes(at, _end), out var token, out var length) || IsPartialByteOrderMark(at, length))
            {
                at = await ReadMoreAsync(at).ConfigureAwait(false);
                continue;
            }
            switch (token)
            {
                case MarkupToken.StartTag or MarkupToken.EmptyTag:
                    return (token, at, at + length);
                case MarkupToken.EndTag when _stream is not null:
                    Consume(at + length);
                    throw XmppProtocolException.Of(FailureKind.ConnectionClosed, "the server closed the XMPP stream (</stream:stream>)");
                case MarkupToken.EndTag:
                    throw new XmlException("an end tag before the stream header");
                case MarkupToken.Declaration:
                    throw new XmlException("the server sent a DTD or another markup declaration, which XMPP prohibits (RFC 6120 §11.1)");
                case MarkupToken.Text when _stream is null && !IsPrologSpace(Bytes(at, at + length), at == 0):
                    // XML 1.0 §2.8: only markup and white space before the root element (an HTTP or SMTP server, say).
                    throw new XmlException("data before the stream header that is not XML");
                default:
                    at += length;
                    if (skip)
                    {
                        Consume(at);
                        at = _start;
                    }
                    break;
            }
        }
    }

    /// <summary>Scans the content of an element whose start tag ends at <paramref name="at"/> to its end tag.</summary>
    private async Task<int> ElementEndAsync(int at)
    {
        var depth = 1;
        while (true)
        {
            if (!MarkupScanner.TryNext(Bytes(at, _end), out var token, out var length))
            {
                at = await ReadMoreAsync(at).ConfigureAwait(false);
                continue;
            }
            at += length;
            switch (token)
            {
                case MarkupToken.StartTag:
                    // The parser checks the exact depth; this only stops a stanza bomb from being gathered at all.
                    if (++depth > _maxDepth + 1)
                    {
                        throw XmppProtocolException.Of(FailureKind.LimitExceeded, $"XML nesting deeper than {_maxDepth}");
                    }
                    break;
                case MarkupToken.EndTag when --depth == 0:
                    return at;
                case MarkupToken.Declaration:
                    throw new XmlException("the server sent a DTD or another markup declaration, which XMPP prohibits (RFC 6120 §11.1)");
            }
        }
    }

    private static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];

    // The first bytes of the stream are all that has arrived of a UTF-8 byte order mark: wait for the rest.
    private bool IsPartialByteOrderMark(int at, int length) =>
        _stream is null && at == 0 && at + length == _end && length < ByteOrderMark.Length && ByteOrderMark.StartsWith(Bytes(0, _end));

    /// <summary>White space, after a UTF-8 byte order mark at the stream's start.</summary>
    private static bool IsPrologSpace(ReadOnlySpan<byte> text, bool streamStart)
    {
        if (streamStart && text.StartsWith(ByteOrderMark)) text = text[ByteOrderMark.Length..];
        return text.IndexOfAnyExcept(" \t\r\n"u8) < 0;
    }

    /// <summary>Reads more bytes after <see cref="_end"/>, keeping the unit from <see cref="_start"/>; returns
    /// <paramref name="at"/> moved with the bytes kept.</summary>
    private async Task<int> ReadMoreAsync(int at)
    {
        if (_end - _start >= _maxUnitBytes)
        {
            throw XmppProtocolException.Of(FailureKind.LimitExceeded, $"an XMPP element longer than {_maxUnitBytes} bytes");
        }

        var buffer = _buffer ?? throw new ObjectDisposedException(nameof(XmppStreamReader));
        var shift = _start;
        if (_end == buffer.Length)
        {
            // Move the unit to the front, and grow only when it fills the buffer by itself.
            if (shift == 0)
            {
                var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, _maxUnitBytes));
                buffer.AsSpan(0, _end).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(buffer);
                _buffer = buffer = bigger;
            }
            else
            {
                buffer.AsSpan(shift, _end - shift).CopyTo(buffer);
                _start -= shift;
                _end -= shift;
                at -= shift;
            }
        }

        var n = await _source.ReadAsync(buffer.AsMemory(_end, Math.Min(buffer.Length, _start + _maxUnitBytes) - _end)).ConfigureAwait(false);
        if (n == 0)
        {
            // As XmlReader reported it: the caller tells a closed connection from malformed XML by the stream's EOF.
            throw new XmlException("unexpected end of the XMPP stream");
        }
        _end += n;
        return at;
    }

    /// <summary>Forgets what is before <paramref name="at"/> (a unit, or what was skipped before one).</summary>
    private void Consume(int at)
    {
        _start = at;
        if (_start == _end) _start = _end = 0;
    }

    private ReadOnlySpan<byte> Bytes(int from, int to) => (_buffer ?? throw new ObjectDisposedException(nameof(XmppStreamReader))).AsSpan(from, to - from);

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
