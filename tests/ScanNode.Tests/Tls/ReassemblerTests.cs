using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Tests.Tls;

public class ReassemblerTests
{
    private static readonly TlsHandshakeType[] FlightTypes =
    [
        TlsHandshakeType.ServerHello, TlsHandshakeType.Certificate, TlsHandshakeType.CertificateStatus,
        TlsHandshakeType.ServerKeyExchange, TlsHandshakeType.ServerHelloDone,
    ];

    internal static (List<TlsMessage> Messages, ParseStatus Last, HandshakeReassembler R) Feed(byte[] data, IEnumerable<int> chunkSizes, ScanLimits? limits = null)
    {
        var r = new HandshakeReassembler(limits ?? ScanLimits.Default);
        var messages = new List<TlsMessage>();
        var offset = 0;
        var last = ParseStatus.NeedMoreData;
        using var sizes = chunkSizes.GetEnumerator();
        while (offset < data.Length && last != ParseStatus.Invalid)
        {
            var n = sizes.MoveNext() ? Math.Min(Math.Max(1, sizes.Current), data.Length - offset) : data.Length - offset;
            if (r.Append(data.AsSpan(offset, n)) == ParseStatus.Invalid)
            {
                last = ParseStatus.Invalid;
                break;
            }

            offset += n;
            while ((last = r.TryReadMessage(out var m)) == ParseStatus.Complete)
            {
                messages.Add(m!);
            }
        }

        return (messages, last, r);
    }

    internal static IEnumerable<int> RandomSizes(int seed) { var rng = new Random(seed); while (true) yield return rng.Next(1, 40); }

    [Fact]
    public void WholeFlight_givesFiveMessages_inOrder()
    {
        var (messages, last, _) = Feed(Fixtures.Tls12Flight(), []);
        Assert.Equal(FlightTypes, messages.Select(m => m.HandshakeType!.Value));
        Assert.Equal(ParseStatus.NeedMoreData, last);
        Assert.Equal(Fixtures.Handshake(2, Fixtures.Tls12ServerHelloBody), messages[0].Raw);
        Assert.Equal(Fixtures.CertificateBody, messages[1].Body.ToArray());
    }

    [Fact]
    public void FlightByteByByte_givesTheSameMessages()
    {
        var whole = Feed(Fixtures.Tls12Flight(), []).Messages;
        var single = Feed(Fixtures.Tls12Flight(), Enumerable.Repeat(1, 100_000)).Messages;
        Assert.Equal(whole.Select(m => m.Raw), single.Select(m => m.Raw));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void FlightInRandomPieces_givesTheSameMessages(int seed)
    {
        var whole = Feed(Fixtures.Tls12Flight(), []).Messages;
        var pieces = Feed(Fixtures.Tls12Flight(), RandomSizes(seed)).Messages;
        Assert.Equal(whole.Select(m => m.Raw), pieces.Select(m => m.Raw));
    }

    [Fact]
    public void AlertRecord_isHandedOutAsAlert()
    {
        var (messages, _, _) = Feed(Fixtures.AlertRecord, [1, 1, 1, 1, 1, 1, 1]);
        var m = Assert.Single(messages);
        Assert.Equal(TlsContentType.Alert, m.ContentType);
        Assert.Equal("handshake_failure", HandshakeMessageParser.ParseAlert(m.Body).Value!.DescriptionName);
    }

    [Fact]
    public void XmlInsteadOfTls_isProtocolError()
    {
        var (_, last, r) = Feed("<stream:error><not-well-formed/></stream:error>"u8.ToArray(), []);
        Assert.Equal(ParseStatus.Invalid, last);
        Assert.Equal(FailureKind.ProtocolError, r.Failure!.Kind);
    }

    [Fact]
    public void HugeHandshakeLength_isLimitExceeded_beforeBuffering()
    {
        // A record carrying only a handshake header that announces a 16 MiB message.
        var data = Fixtures.Record(22, 0x0303, [0x0B, 0xFF, 0xFF, 0xFF]);
        var (_, last, r) = Feed(data, []);
        Assert.Equal(ParseStatus.Invalid, last);
        Assert.Equal(FailureKind.LimitExceeded, r.Failure!.Kind);
    }

    [Fact]
    public void RecordOverTheLimit_isLimitExceeded()
    {
        var (_, last, r) = Feed([0x16, 0x03, 0x03, 0x48, 0x01], []); // 18 433 bytes announced
        Assert.Equal(ParseStatus.Invalid, last);
        Assert.Equal(FailureKind.LimitExceeded, r.Failure!.Kind);
    }

    [Fact]
    public void ByteBudget_isEnforced()
    {
        var limits = ScanLimits.Default with { MaxBytesPerConnection = 100 };
        var (_, last, r) = Feed(Fixtures.Tls12Flight(), [], limits);
        Assert.Equal(ParseStatus.Invalid, last);
        Assert.Equal(FailureKind.LimitExceeded, r.Failure!.Kind);
    }

    [Fact]
    public void MessageSpanningManyRecords_isReassembled()
    {
        var body = Fixtures.Concat([0x00, 0x9C, 0x40], [0x00, 0x9C, 0x3D], Fixtures.Repeat(0x42, 0x9C3D)); // 40 000-byte cert
        var msg = Fixtures.Handshake(11, body);
        var records = TlsRecordWriter.Wrap(TlsContentType.Handshake, 0x0303, msg);
        Assert.Equal(msg.Length + (3 * 5), records.Length); // 40 004 bytes → three records of ≤ 2^14
        var (messages, _, _) = Feed(records, RandomSizes(9).Select(n => n * 100));
        var m = Assert.Single(messages);
        Assert.Equal(msg, m.Raw);
    }
}
