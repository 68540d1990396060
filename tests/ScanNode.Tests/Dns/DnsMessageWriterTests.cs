using XmppScanCluster.ScanNode.Dns;

namespace XmppScanCluster.ScanNode.Tests.Dns;

public class DnsMessageWriterTests
{
    [Fact]
    public void SrvQuery_withDnssec_matchesExpectedOctets()
    {
        byte[] buffer = new byte[DnsMessageWriter.MaxQueryLength];

        Assert.True(DnsMessageWriter.TryWriteQuery(buffer, 0x1234, "_xmpp-client._tcp.Example.org", DnsRecordType.SRV, true, false, out int written, out _));

        byte[] expected = WireFixtures.Cat(
            [0x12, 0x34],                   // ID
            [0x01, 0x00],                   // RD=1, nothing else
            [0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01], // QD=1 AN=0 NS=0 AR=1
            WireFixtures.L("_xmpp-client"), WireFixtures.L("_tcp"), WireFixtures.L("example"), WireFixtures.L("org"), [0x00],
            [0x00, 0x21, 0x00, 0x01],       // QTYPE SRV, QCLASS IN
            [0x00],                         // OPT NAME root
            [0x00, 0x29],                   // TYPE OPT
            [0x04, 0xD0],                   // CLASS = UDP payload 1232
            [0x00, 0x00, 0x80, 0x00],       // ext-RCODE 0, VERSION 0, DO=1
            [0x00, 0x00]);                  // RDLENGTH 0
        Assert.Equal(expected, buffer[..written]);
    }

    [Fact]
    public void CheckingDisabledWithoutDnssec_setsCdClearsDo()
    {
        byte[] buffer = new byte[DnsMessageWriter.MaxQueryLength];

        Assert.True(DnsMessageWriter.TryWriteQuery(buffer, 1, "example.org", DnsRecordType.A, false, true, out int written, out _));

        Assert.Equal(0x10, buffer[3]);
        Assert.Equal(0x00, buffer[written - 4]);
    }

    [Theory]
    [InlineData("a..b")]
    [InlineData(".a")]
    [InlineData("bücher.example")]
    [InlineData("a b.example")]
    public void UnusableName_returnsFalseWithReason(string name)
    {
        byte[] buffer = new byte[DnsMessageWriter.MaxQueryLength];

        Assert.False(DnsMessageWriter.TryWriteQuery(buffer, 1, name, DnsRecordType.A, true, false, out _, out string? error));
        Assert.NotNull(error);
    }

    [Fact]
    public void LabelOf64_andNameOver255_areRejected()
    {
        byte[] buffer = new byte[DnsMessageWriter.MaxQueryLength];
        string label63 = new('a', 63);

        Assert.False(DnsMessageWriter.TryWriteQuery(buffer, 1, new string('a', 64) + ".example", DnsRecordType.A, true, false, out _, out _));
        Assert.False(DnsMessageWriter.TryWriteQuery(buffer, 1, string.Join('.', label63, label63, label63, label63), DnsRecordType.A, true, false, out _, out _));
        Assert.True(DnsMessageWriter.TryWriteQuery(buffer, 1, string.Join('.', label63, label63, label63, new string('a', 61)), DnsRecordType.A, true, false, out _, out _));
    }
}
