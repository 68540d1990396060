using System.Net;
using XmppScanCluster.ScanNode.Dns;
using static XmppScanCluster.ScanNode.Tests.Dns.WireFixtures;

namespace XmppScanCluster.ScanNode.Tests.Dns;

public class DnsAnswerTests
{
    internal static DnsLookup<T> Interpret<T>(byte[] wire, string name, DnsRecordType type, Func<DnsResourceRecord, T?> convert)
        where T : class
    {
        var verdict = DnsResponseValidator.Check(wire, Id, name, type, out var message, out string? error);
        Assert.True(verdict == DnsVerdict.Accept, error);
        return DnsAnswerReader.Read(new DnsQueryOutcome(message, DnsStatus.Ok, null), name, type, convert);
    }

    [Fact]
    public void AAnswer_compressedOwner_givesAddressAndAd()
    {
        var lookup = Interpret(AAnswer, "example.org", DnsRecordType.A, DnsRecordConverters.Address);

        Assert.Equal(DnsStatus.Ok, lookup.Status);
        Assert.Equal([IPAddress.Parse("192.0.2.1")], lookup.Records);
        Assert.True(lookup.Authenticated);
        Assert.Equal(XmppScanCluster.Shared.Dns.DnssecStatus.Secure, lookup.Dnssec);
        Assert.Empty(lookup.CnameChain);
    }

    [Fact]
    public void AaaaAnswer_givesIpv6Address()
    {
        var lookup = Interpret(AaaaAnswer, "example.org", DnsRecordType.AAAA, DnsRecordConverters.Address);

        Assert.Equal([IPAddress.Parse("2001:db8::1")], lookup.Records);
        Assert.False(lookup.Authenticated);
        Assert.Equal(XmppScanCluster.Shared.Dns.DnssecStatus.Insecure, lookup.Dnssec);
    }

    [Fact]
    public void SrvAnswer_compressedTarget_givesAllFields()
    {
        var lookup = Interpret(SrvAnswer, "_xmpp-client._tcp.example.org", DnsRecordType.SRV, DnsRecordConverters.Srv);

        var srv = Assert.Single(lookup.Records);
        Assert.Equal(new XmppScanCluster.Shared.Dns.SrvRecord("_xmpp-client._tcp.example.org", 5, 10, 5222, "xmpp.example.org", 3600), srv);
    }

    [Fact]
    public void TlsaAnswer_givesUsageSelectorMatchingAndData()
    {
        var lookup = Interpret(TlsaAnswer, "_5222._tcp.xmpp.example.org", DnsRecordType.TLSA, DnsRecordConverters.Tlsa);

        var tlsa = Assert.Single(lookup.Records);
        Assert.Equal((3, 1, 1), (tlsa.Usage, tlsa.Selector, tlsa.MatchingType));
        Assert.Equal(new byte[] { 0xDE, 0xAD, 0xBE, 0xEF }, tlsa.Data);
        Assert.Equal(60u, tlsa.Ttl);
    }

    [Fact]
    public void PtrAnswer_givesHostName()
    {
        var lookup = Interpret(PtrAnswer, "1.2.0.192.in-addr.arpa", DnsRecordType.PTR, DnsRecordConverters.Name);

        Assert.Equal(["xmpp.example.org"], lookup.Records);
    }

    [Fact]
    public void CnameAnswer_followsChainAndRecordsIt()
    {
        var lookup = Interpret(CnameAnswer, "www.example.org", DnsRecordType.A, DnsRecordConverters.Address);

        Assert.Equal(DnsStatus.Ok, lookup.Status);
        Assert.Equal(["xmpp.example.org"], lookup.CnameChain);
        Assert.Equal([IPAddress.Parse("192.0.2.7")], lookup.Records);
    }

    [Fact]
    public void CnameAnswer_askedForAaaa_returnsNoDataWithChain()
    {
        byte[] wire = (byte[])CnameAnswer.Clone();
        wire[30] = 0x1C; // QTYPE AAAA: the A record at the chain's end is not what was asked

        var lookup = Interpret(wire, "www.example.org", DnsRecordType.AAAA, DnsRecordConverters.Address);

        Assert.Equal(DnsStatus.NoData, lookup.Status);
        Assert.Equal(["xmpp.example.org"], lookup.CnameChain);
    }

    [Fact]
    public void NxDomainAnswer_returnsNxDomain()
    {
        var lookup = Interpret(NxDomainAnswer, "nothing.example.org", DnsRecordType.A, DnsRecordConverters.Address);

        Assert.Equal(DnsStatus.NxDomain, lookup.Status);
        Assert.Contains("NXDOMAIN", lookup.Error);
    }

    [Fact]
    public void CnameLoop_returnsMalformed()
    {
        var query = new Support.TestQuery(Id, "a.example", DnsRecordType.A, false, true, []);
        byte[] wire = Support.TestMessage.Response(query, answers:
        [
            Support.TestRecord.Cname("a.example", "b.example"),
            Support.TestRecord.Cname("b.example", "a.example"),
        ]);

        var lookup = Interpret(wire, "a.example", DnsRecordType.A, DnsRecordConverters.Address);

        Assert.Equal(DnsStatus.Malformed, lookup.Status);
        Assert.Contains("CNAME", lookup.Error);
    }

    [Fact]
    public void RecordsOffTheChain_areIgnored()
    {
        var query = new Support.TestQuery(Id, "a.example", DnsRecordType.A, false, true, []);
        byte[] wire = Support.TestMessage.Response(query, answers: [Support.TestRecord.A("other.example", "192.0.2.9")]);

        var lookup = Interpret(wire, "a.example", DnsRecordType.A, DnsRecordConverters.Address);

        Assert.Equal(DnsStatus.NoData, lookup.Status);
    }

    [Fact]
    public void ServFail_returnsServerFailure()
    {
        byte[] wire = (byte[])NxDomainAnswer.Clone();
        wire[3] = 0x82; // RCODE 2

        var lookup = Interpret(wire, "nothing.example.org", DnsRecordType.A, DnsRecordConverters.Address);

        Assert.Equal(DnsStatus.ServerFailure, lookup.Status);
        Assert.Equal(XmppScanCluster.Shared.Dns.DnssecStatus.Unknown, lookup.Dnssec);
    }

    [Fact]
    public void CacheTime_isSmallestAnswerTtl()
    {
        Assert.True(DnsMessageParser.TryParse(CnameAnswer, out var message, out _));

        Assert.Equal(TimeSpan.FromSeconds(120), DnsAnswerReader.CacheTime(new DnsQueryOutcome(message, DnsStatus.Ok, null)));
    }
}
