using System.Text;
using System.Xml;
using XmppScanCluster.ScanNode.Tests.Support.Xmpp;
using XmppScanCluster.ScanNode.Transport;
using XmppScanCluster.ScanNode.Xmpp;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Xmpp;

namespace XmppScanCluster.ScanNode.Tests.Xmpp;

public class XmppStreamReaderTests
{
    private static async Task<(StreamHeader Header, XmppFeatures Features)> ReadPreamble(Stream input)
    {
        using var reader = new XmppStreamReader(input, maxDepth: 32);
        var header = await reader.ReadHeaderAsync();
        var features = await StartTlsNegotiation.ReadFeaturesAsync(reader);
        return (header, features);
    }

    public static TheoryData<string> Deliveries => ["whole", "byte-by-byte", "random-1", "random-2", "random-3"];

    private static PiecewiseStream Deliver(string how, string text) => how switch
    {
        "whole" => PiecewiseStream.Whole(text),
        "byte-by-byte" => PiecewiseStream.ByteByByte(text),
        _ => PiecewiseStream.RandomPieces(text, int.Parse(how["random-".Length..])),
    };

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task HeaderAndFeatures_anyDelivery_sameFacts(string how)
    {
        var (header, features) = await ReadPreamble(Deliver(how, Xml.Header() + Xml.StartTlsOptional));

        Assert.Equal("abc123", header.Id);
        Assert.Equal("example.test", header.From);
        Assert.Equal("1.0", header.Version);
        Assert.Equal(StartTlsSupport.Offered, features.StartTls);
        Assert.Equal(["PLAIN"], features.SaslMechanisms);
        Assert.Equal(["zlib"], features.CompressionMethods);
        Assert.Equal(["{http://jabber.org/protocol/caps}c"], features.OtherFeatures);
    }

    [Fact]
    public async Task NoXmlDeclaration_otherPrefixes_requiredDecidedOnElements()
    {
        const string text = "<s:stream xmlns:s='http://etherx.jabber.org/streams' xmlns='jabber:client' id='i' version='1.0'>" +
            "<s:features><tls:starttls xmlns:tls='urn:ietf:params:xml:ns:xmpp-tls'><tls:required/></tls:starttls></s:features>";

        var (header, features) = await ReadPreamble(PiecewiseStream.ByteByByte(text));

        Assert.Equal("i", header.Id);
        Assert.Null(header.From);
        Assert.Equal(StartTlsSupport.Required, features.StartTls);
    }

    [Fact]
    public async Task RequiredInAnotherNamespace_isOnlyOffered()
    {
        const string features = "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required xmlns='urn:example'/></starttls></stream:features>";

        var (_, parsed) = await ReadPreamble(PiecewiseStream.Whole(Xml.Header() + features));

        Assert.Equal(StartTlsSupport.Offered, parsed.StartTls);
    }

    [Fact]
    public async Task StartTlsTextInsideAnotherElement_isNotOffered()
    {
        const string features = "<stream:features><x xmlns='urn:example'><![CDATA[<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>]]></x>" +
            "<y xmlns='urn:example'>&lt;starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/&gt;</y></stream:features>";

        var (_, parsed) = await ReadPreamble(PiecewiseStream.Whole(Xml.Header() + features));

        Assert.Equal(StartTlsSupport.NotOffered, parsed.StartTls);
        Assert.Equal(2, parsed.OtherFeatures.Count);
    }

    [Fact]
    public async Task Doctype_isRejected()
    {
        const string text = "<?xml version='1.0'?><!DOCTYPE stream:stream [<!ENTITY x 'y'>]><stream:stream xmlns:stream='http://etherx.jabber.org/streams'>";

        await Assert.ThrowsAsync<XmlException>(() => ReadPreamble(PiecewiseStream.Whole(text)));
    }

    [Fact]
    public async Task UndeclaredEntity_isRejected()
    {
        var text = Xml.Header() + "<stream:features><x xmlns='urn:example'>&xxe;</x></stream:features>";

        await Assert.ThrowsAsync<XmlException>(() => ReadPreamble(PiecewiseStream.Whole(text)));
    }

    [Fact]
    public async Task DeepNesting_isLimitExceeded()
    {
        var text = Xml.Header() + "<stream:features>" + string.Concat(Enumerable.Repeat("<a xmlns='urn:x'>", 100));

        var e = await Assert.ThrowsAsync<XmppProtocolException>(() => ReadPreamble(PiecewiseStream.Whole(text)));

        Assert.Equal(FailureKind.LimitExceeded, e.Failure.Kind);
    }

    [Fact]
    public async Task StreamErrorBeforeFeatures_isStreamError()
    {
        var text = Xml.Header() + Xml.StreamError("host-unknown", "not here");

        var e = await Assert.ThrowsAsync<StreamErrorException>(() => ReadPreamble(PiecewiseStream.ByteByByte(text)));

        Assert.Equal("host-unknown", e.Info.Condition);
        Assert.Equal("not here", e.Info.Text);
    }

    [Fact]
    public async Task ServerClosesStream_isConnectionClosed()
    {
        var e = await Assert.ThrowsAsync<XmppProtocolException>(() => ReadPreamble(PiecewiseStream.Whole(Xml.Header() + "</stream:stream>")));

        Assert.Equal(FailureKind.ConnectionClosed, e.Failure.Kind);
    }

    [Fact]
    public async Task NotXmpp_isProtocolError()
    {
        var e = await Assert.ThrowsAsync<XmppProtocolException>(() => ReadPreamble(PiecewiseStream.Whole("<html><body>")));

        Assert.Equal(FailureKind.ProtocolError, e.Failure.Kind);
    }

    [Theory]
    [InlineData("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")]
    [InlineData("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'></proceed>")]
    [InlineData("<tls:proceed xmlns:tls='urn:ietf:params:xml:ns:xmpp-tls'/>")]
    public async Task Proceed_chunkedReads_noByteAfterItIsHandedToTheReader_andNoWaitForMore(string proceed)
    {
        var xml = Xml.Header() + Xml.StartTlsRequired + proceed;
        byte[] clientHelloStart = [0x16, 0x03, 0x01, 0x02, 0x00];
        var source = new PiecewiseStream([.. Encoding.UTF8.GetBytes(xml), .. clientHelloStart], _ => int.MaxValue, hangAtEnd: true);
        // The whole preamble and the first TLS bytes arrive in one read: the reader gets one tag per read, and what
        // follows <proceed/> stays in the chunk stream for the negotiation to give back to the connection.
        var bounded = new BoundedStream(source, ownsInner: false, 1 << 16, TimeSpan.FromSeconds(2), null, default);
        using var tags = new TagChunkStream(bounded, 4096);
        using var reader = new XmppStreamReader(tags, 32);

        await reader.ReadHeaderAsync();
        await StartTlsNegotiation.ReadFeaturesAsync(reader);
        var answer = await reader.ReadTopLevelAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(answer.Is("urn:ietf:params:xml:ns:xmpp-tls", "proceed"));
        Assert.Equal(clientHelloStart, tags.Unconsumed.ToArray());
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task MarkupThatLooksLikeTheEnd_insideValuesCommentsAndCdata_doesNotEndTheElement(string how)
    {
        // An element is gathered whole before it is parsed: a '>' in an attribute value, or an end tag in a comment or
        // a CDATA section, must not cut it short.
        var text = "\uFEFF" + Xml.Header() + "<!-- </stream:features> -->" +
            "<stream:features><x xmlns='urn:example' a='/stream:features>' b=\"/>\"><![CDATA[</x></stream:features>]]><!-- </x> --></x>" +
            "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls></stream:features>";

        var (header, features) = await ReadPreamble(Deliver(how, text));

        Assert.Equal("abc123", header.Id);
        Assert.Equal(StartTlsSupport.Required, features.StartTls);
        Assert.Equal(["{urn:example}x"], features.OtherFeatures);
    }

    [Fact]
    public async Task ElementLongerThanTheUnitBound_isLimitExceeded_beforeItEnds()
    {
        var text = Xml.Header() + "<stream:features><x xmlns='urn:example'>" + new string('a', 10_000);
        using var reader = new XmppStreamReader(PiecewiseStream.Whole(text), maxDepth: 32, maxUnitBytes: 4096);
        await reader.ReadHeaderAsync();

        var e = await Assert.ThrowsAsync<XmppProtocolException>(() => reader.ReadTopLevelAsync());

        Assert.Equal(FailureKind.LimitExceeded, e.Failure.Kind);
    }

    [Fact]
    public async Task TextBeforeTheHeader_isMalformed_withoutWaitingForMore()
    {
        // An HTTP server's answer: refused at once, not read until the deadline.
        var input = new PiecewiseStream(Encoding.UTF8.GetBytes("HTTP/1.1 400 Bad Request\r\n\r\n"), _ => int.MaxValue, hangAtEnd: true);
        using var reader = new XmppStreamReader(input, maxDepth: 32);

        await Assert.ThrowsAsync<XmlException>(() => reader.ReadHeaderAsync().WaitAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task ElementsInOneRead_areReturnedOneByOne()
    {
        var text = Xml.Header() + " <a xmlns='urn:x'/>\n<b xmlns='urn:x'>t</b>";
        using var reader = new XmppStreamReader(PiecewiseStream.Whole(text), maxDepth: 32);
        await reader.ReadHeaderAsync();

        var a = await reader.ReadTopLevelAsync();
        var b = await reader.ReadTopLevelAsync();

        Assert.True(a.Is("urn:x", "a"));
        Assert.True(b.Is("urn:x", "b"));
        Assert.Equal("t", b.Text);
    }
}
