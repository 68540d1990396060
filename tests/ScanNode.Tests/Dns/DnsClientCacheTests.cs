using System.Net;
using XmppScanCluster.ScanNode.Dns;
using XmppScanCluster.ScanNode.Tests.Dns.Support;

namespace XmppScanCluster.ScanNode.Tests.Dns;

public class DnsClientCacheTests
{
    private static DnsClient Client(FakeDnsServer server, TimeProvider time) =>
        new(new DnsResolverOptions { Servers = [server.EndPoint], Timeout = TimeSpan.FromSeconds(1), Retries = 1 }, time);

    [Fact]
    public async Task SecondLookupWithinTtl_isServedFromCache_andRefetchedAfter()
    {
        var clock = new ManualTimeProvider();
        await using var server = FakeDnsServer.ForZone(new FakeZone().Add(TestRecord.Srv("_xmpp-client._tcp.c.example", 0, 0, 5222, "x.example", ttl: 60)));
        var client = Client(server, clock);

        await client.LookupSrvAsync("_xmpp-client._tcp.c.example", default);
        await client.LookupSrvAsync("_XMPP-client._tcp.C.example.", default);
        clock.Advance(TimeSpan.FromSeconds(59));
        await client.LookupSrvAsync("_xmpp-client._tcp.c.example", default);
        Assert.Single(server.UdpQueries);

        clock.Advance(TimeSpan.FromSeconds(2));
        var again = await client.LookupSrvAsync("_xmpp-client._tcp.c.example", default);
        Assert.Equal(2, server.UdpQueries.Count);
        Assert.Equal(DnsStatus.Ok, again.Status);
    }

    [Fact]
    public async Task ConcurrentLookups_shareOneQuery()
    {
        // Both families present: a NODATA without SOA would rightly not be cached (RFC 2308 §5).
        await using var server = FakeDnsServer.ForZone(new FakeZone()
            .Add(TestRecord.A("same.example", "192.0.2.3"))
            .Add(TestRecord.Aaaa("same.example", "2001:db8::3")));
        var client = Client(server, TimeProvider.System);

        var lookups = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.LookupAddressesAsync("same.example", default)));

        Assert.All(lookups, l => Assert.Equal([IPAddress.Parse("192.0.2.3"), IPAddress.Parse("2001:db8::3")], l.Records));
        Assert.Equal(2, server.UdpQueries.Count); // one A, one AAAA
    }

    [Fact]
    public async Task Failures_areNotCached()
    {
        await using var server = new FakeDnsServer(_ => FakeReply.Silence);
        var client = Client(server, TimeProvider.System);

        await client.LookupSrvAsync("_x._tcp.t.example", default);
        await client.LookupSrvAsync("_x._tcp.t.example", default);

        Assert.Equal(2, server.UdpQueries.Count);
    }

    [Fact]
    public async Task AddressLookup_mergesAAndAaaa_followingCname()
    {
        var zone = new FakeZone()
            .Add(TestRecord.Cname("alias.example", "host.example"))
            .Add(TestRecord.A("host.example", "192.0.2.4"))
            .Add(TestRecord.Aaaa("host.example", "2001:db8::4"));
        await using var server = FakeDnsServer.ForZone(zone);

        var lookup = await Client(server, TimeProvider.System).LookupAddressesAsync("alias.example", default);

        Assert.Equal(DnsStatus.Ok, lookup.Status);
        Assert.Equal([IPAddress.Parse("192.0.2.4"), IPAddress.Parse("2001:db8::4")], lookup.Records);
        Assert.Equal(["host.example"], lookup.CnameChain);
        Assert.Null(lookup.Error);
    }

    [Fact]
    public async Task AddressLookup_onlyIpv4_isOk_nameWithoutAddresses_isNoData()
    {
        var zone = new FakeZone().Add(TestRecord.A("v4.example", "192.0.2.5")).Add(TestRecord.Srv("noaddr.example", 0, 0, 1, "x"));
        await using var server = FakeDnsServer.ForZone(zone);
        var client = Client(server, TimeProvider.System);

        var v4 = await client.LookupAddressesAsync("v4.example", default);
        var none = await client.LookupAddressesAsync("noaddr.example", default);
        var missing = await client.LookupAddressesAsync("missing.example", default);

        Assert.Equal((DnsStatus.Ok, 1), (v4.Status, v4.Records.Count));
        Assert.Equal(DnsStatus.NoData, none.Status);
        Assert.Contains("no A or AAAA records", none.Error);
        Assert.Equal(DnsStatus.NxDomain, missing.Status);
    }

    [Theory]
    [InlineData("192.0.2.1", "1.2.0.192.in-addr.arpa")]
    [InlineData("::ffff:192.0.2.1", "1.2.0.192.in-addr.arpa")]
    [InlineData("2001:db8::1", "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa")]
    public void ReverseName_followsRfc1035AndRfc3596(string address, string expected)
    {
        Assert.Equal(expected, DnsClient.ReverseName(IPAddress.Parse(address)));
    }

    [Fact]
    public async Task NoDataWithoutSoa_isNotCached()
    {
        var clock = new ManualTimeProvider();
        await using var server = FakeDnsServer.ForZone(new FakeZone().Add(TestRecord.A("v4only.example", "192.0.2.6")));
        var client = Client(server, clock);

        await client.LookupTlsaAsync("v4only.example", default);
        await client.LookupTlsaAsync("v4only.example", default);

        Assert.Equal(2, server.UdpQueries.Count);
    }
}
