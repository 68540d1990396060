using XmppScanCluster.ScanNode.Dns;
using static XmppScanCluster.ScanNode.Tests.Dns.WireFixtures;

namespace XmppScanCluster.ScanNode.Tests.Dns;

/// <summary>Every broken response gives a verdict and a message, never an exception.</summary>
public class DnsMalformedTests
{
    public static TheoryData<string, byte[], string, DnsRecordType> ValidFixtures => new()
    {
        { "A", AAnswer, "example.org", DnsRecordType.A },
        { "AAAA", AaaaAnswer, "example.org", DnsRecordType.AAAA },
        { "SRV", SrvAnswer, "_xmpp-client._tcp.example.org", DnsRecordType.SRV },
        { "TLSA", TlsaAnswer, "_5222._tcp.xmpp.example.org", DnsRecordType.TLSA },
        { "PTR", PtrAnswer, "1.2.0.192.in-addr.arpa", DnsRecordType.PTR },
        { "CNAME", CnameAnswer, "www.example.org", DnsRecordType.A },
    };

    private static DnsVerdict Check(byte[] wire, string name, DnsRecordType type, out string? error) =>
        DnsResponseValidator.Check(wire, Id, name, type, out _, out error);

    [Theory]
    [MemberData(nameof(ValidFixtures))]
    public void EveryTruncation_returnsMalformedNeverThrows(string label, byte[] wire, string name, DnsRecordType type)
    {
        Assert.Equal(DnsVerdict.Accept, Check(wire, name, type, out _));
        for (int length = 0; length < wire.Length; length++)
        {
            var verdict = Check(wire[..length], name, type, out string? error);
            Assert.True(verdict == DnsVerdict.Malformed, $"{label} cut at {length}: {verdict}");
            Assert.False(string.IsNullOrEmpty(error));
        }
    }

    [Theory]
    [MemberData(nameof(ValidFixtures))]
    public void EverySingleByteMutation_neverThrows(string label, byte[] wire, string name, DnsRecordType type)
    {
        _ = label;
        for (int i = 0; i < wire.Length; i++)
        {
            foreach (byte value in new byte[] { 0x00, 0x3F, 0x40, 0xC0, 0xFF, (byte)(wire[i] ^ 0x01) })
            {
                byte[] mutated = (byte[])wire.Clone();
                mutated[i] = value;
                var verdict = Check(mutated, name, type, out string? error);
                if (verdict == DnsVerdict.Accept)
                {
                    _ = DnsAnswerReader.Read(new DnsQueryOutcome(ParseOrNull(mutated), DnsStatus.Ok, null), name, type, DnsRecordConverters.Address);
                }
                else
                {
                    Assert.False(string.IsNullOrEmpty(error));
                }
            }
        }
    }

    [Fact]
    public void TruncatedHeader_returnsMalformed()
    {
        Assert.False(DnsMessageParser.TryParse(AAnswer[..11], out _, out string? error));
        Assert.Contains("header truncated", error);
    }

    [Fact]
    public void CompressionLoop_returnsMalformed()
    {
        byte[] wire = Cat(
            Header(an: 1),
            L("example"), L("org"), [0x00],     // +12 QNAME
            [0x00, 0x01, 0x00, 0x01],           // +25 QTYPE A, QCLASS IN
            [0xC0, 0x1D],                       // +29 NAME → 29: points to itself
            [0x00, 0x01, 0x00, 0x01, 0, 0, 0, 60, 0x00, 0x04, 192, 0, 2, 1]);

        Assert.Equal(DnsVerdict.Malformed, Check(wire, "example.org", DnsRecordType.A, out string? error));
        Assert.Contains("points forward or to itself", error);
    }

    [Fact]
    public void PointerToTheNextOctet_returnsMalformed()
    {
        byte[] wire = Cat(
            Header(an: 1),
            L("example"), L("org"), [0x00],     // +12 QNAME
            [0x00, 0x01, 0x00, 0x01],           // +25
            L("a"), [0xC0, 0x1F],               // +29 NAME a → 31 (the pointer just after): forward
            [0xC0, 0x1D],                       // +31 → 29 (a loop, never reached: the forward pointer fails first)
            [0x00, 0x01, 0x00, 0x01, 0, 0, 0, 60, 0x00, 0x04, 192, 0, 2, 1]);

        Assert.Equal(DnsVerdict.Malformed, Check(wire, "example.org", DnsRecordType.A, out _));
    }

    [Fact]
    public void ForwardPointer_returnsMalformed()
    {
        byte[] wire = Cat(
            Header(an: 1),
            [0xC0, 0x20],                       // +12 QNAME → 32: forward
            [0x00, 0x01, 0x00, 0x01],           // +14
            L("example"), L("org"), [0x00]);    // +18..

        Assert.Equal(DnsVerdict.Malformed, Check(wire, "example.org", DnsRecordType.A, out string? error));
        Assert.Contains("forward", error);
    }

    [Fact]
    public void LabelLongerThan63_returnsMalformed()
    {
        byte[] wire = Cat(Header(an: 0), [0x40], new byte[64], [0x00, 0x00, 0x01, 0x00, 0x01]);

        Assert.Equal(DnsVerdict.Malformed, Check(wire, "x", DnsRecordType.A, out string? error));
        Assert.Contains("at most 63", error);
    }

    [Fact]
    public void NameLongerThan255_returnsMalformed()
    {
        // Five 63-octet labels: 5 × 64 + 1 = 321 octets.
        byte[] label = [63, .. Enumerable.Repeat((byte)'a', 63)];
        byte[] wire = Cat(Header(an: 0), label, label, label, label, label, [0x00], [0x00, 0x01, 0x00, 0x01]);

        Assert.Equal(DnsVerdict.Malformed, Check(wire, "x", DnsRecordType.A, out string? error));
        Assert.Contains("255", error);
    }

    [Fact]
    public void PointerChainBuildingLongName_returnsMalformed()
    {
        // Five questions; each name is a 63-octet label followed by a pointer to the previous question's name:
        // every pointer is legal (backwards), but the fourth name is 4 × 64 + 1 = 257 octets long.
        byte[] label = [63, .. Enumerable.Repeat((byte)'b', 63)];
        var wire = new List<byte>(Header(qd: 5, an: 0));
        int previous = wire.Count;
        wire.AddRange(label);
        wire.Add(0x00);                                                // question 0: b×63 (root-terminated)
        wire.AddRange([0x00, 0x01, 0x00, 0x01]);                       // QTYPE A, QCLASS IN
        for (int i = 1; i < 5; i++)
        {
            int here = wire.Count;
            wire.AddRange(label);                                      // one more label...
            wire.AddRange([(byte)(0xC0 | (previous >> 8)), (byte)previous]); // ...then the previous name
            wire.AddRange([0x00, 0x01, 0x00, 0x01]);
            previous = here;
        }

        Assert.False(DnsMessageParser.TryParse([.. wire], out _, out string? error));
        Assert.Contains("255", error);
    }

    [Fact]
    public void MoreThanHopLimitPointers_returnsMalformed()
    {
        // Question 0 is the root name; question i is only a pointer to question i-1's name: 40 legal hops.
        var wire = new List<byte>(Header(qd: 41, an: 0));
        int previous = wire.Count;
        wire.AddRange([0x00, 0x00, 0x01, 0x00, 0x01]);                 // root, QTYPE A, QCLASS IN
        for (int i = 1; i <= 40; i++)
        {
            int here = wire.Count;
            wire.AddRange([(byte)(0xC0 | (previous >> 8)), (byte)previous, 0x00, 0x01, 0x00, 0x01]);
            previous = here;
        }

        Assert.False(DnsMessageParser.TryParse([.. wire], out _, out string? error));
        Assert.Contains("compression pointers", error);
    }

    [Fact]
    public void TruncatedRdata_returnsMalformed()
    {
        Assert.Equal(DnsVerdict.Malformed, Check(AAnswer[..^1], "example.org", DnsRecordType.A, out string? error));
        Assert.Contains("RDLENGTH", error);
    }

    [Fact]
    public void RdlengthTooLongForA_returnsMalformed()
    {
        byte[] wire = Cat(AAnswer[..^6], [0x00, 0x05, 192, 0, 2, 1, 9]); // RDLENGTH 5 for an A record

        Assert.Equal(DnsVerdict.Malformed, Check(wire, "example.org", DnsRecordType.A, out string? error));
        Assert.Contains("expected 4", error);
    }

    [Fact]
    public void SrvRdlengthShorterThanTarget_returnsMalformed()
    {
        byte[] wire = (byte[])SrvAnswer.Clone();
        wire[58] = 0x0C; // RDLENGTH 12 while the target needs 13 (then one octet is left over)

        Assert.Equal(DnsVerdict.Malformed, Check(wire, "_xmpp-client._tcp.example.org", DnsRecordType.SRV, out _));
    }

    [Fact]
    public void SrvRdlengthLongerThanTarget_returnsMalformed()
    {
        byte[] wire = Cat(SrvAnswer, [0x00]);
        wire[58] = 0x0E; // RDLENGTH 14: one octet after the target name

        Assert.Equal(DnsVerdict.Malformed, Check(wire, "_xmpp-client._tcp.example.org", DnsRecordType.SRV, out string? error));
        Assert.Contains("does not match", error);
    }

    [Fact]
    public void TrailingGarbage_returnsMalformed()
    {
        Assert.Equal(DnsVerdict.Malformed, Check(Cat(AAnswer, [0x00]), "example.org", DnsRecordType.A, out string? error));
        Assert.Contains("after the last record", error);
    }

    [Fact]
    public void WrongId_isIgnored()
    {
        var verdict = DnsResponseValidator.Check(AAnswer, 0x1234, "example.org", DnsRecordType.A, out var message, out string? error);

        Assert.Equal(DnsVerdict.Ignore, verdict);
        Assert.Null(message);
        Assert.Contains("does not match query id", error);
    }

    [Fact]
    public void QuestionMismatch_isIgnored()
    {
        Assert.Equal(DnsVerdict.Ignore, Check(AAnswer, "example.com", DnsRecordType.A, out string? error));
        Assert.Contains("does not match the query", error);
        Assert.Equal(DnsVerdict.Ignore, Check(AAnswer, "example.org", DnsRecordType.AAAA, out _));
    }

    [Fact]
    public void QueryInsteadOfResponse_isIgnored()
    {
        byte[] wire = (byte[])AAnswer.Clone();
        wire[2] &= 0x7F; // QR = 0

        Assert.Equal(DnsVerdict.Ignore, Check(wire, "example.org", DnsRecordType.A, out _));
    }

    private static DnsMessage? ParseOrNull(byte[] wire) => DnsMessageParser.TryParse(wire, out var m, out _) ? m : null;
}
