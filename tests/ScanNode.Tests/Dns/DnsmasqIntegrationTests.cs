using System.Net;
using XmppScanCluster.ScanNode.Dns;
using XmppScanCluster.ScanNode.Tests.Dns.Support;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Tests.Dns;

/// <summary>One dnsmasq for the whole class, serving the zone below on 127.2.0.53.</summary>
public sealed class DnsmasqFixture : IAsyncLifetime
{
    /// <summary>32 octets of TLSA association data: 0x00, 0x01, ... 0x1f.</summary>
    internal static readonly byte[] TlsaData = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];

    internal static readonly string[] Zone =
    [
        "local=/example.test/",       // names under example.test not configured here: NXDOMAIN, not REFUSED
        "local-ttl=60",

        // c2s: two targets at priority 10 (weights 60, 40), a backup at 20, one direct-TLS target at 5
        "srv-host=_xmpp-client._tcp.example.test,xmpp-a.example.test,5222,10,60",
        "srv-host=_xmpp-client._tcp.example.test,xmpp-b.example.test,5222,10,40",
        "srv-host=_xmpp-client._tcp.example.test,xmpp-backup.example.test,15222,20,0",
        "srv-host=_xmpps-client._tcp.example.test,xmpp-a.example.test,5223,5,0",
        "host-record=xmpp-a.example.test,127.0.0.11,::11",
        "host-record=xmpp-b.example.test,127.0.0.12",
        "host-record=xmpp-backup.example.test,::13",

        // s2s: a single SRV with target "." (srv-host without a target)
        "srv-host=_xmpp-server._tcp.example.test",

        // no SRV at all: address fallback
        "host-record=plain.example.test,127.0.0.20,::20",

        // CNAME and TLSA
        "cname=alias.example.test,xmpp-a.example.test",
        "dns-rr=_5222._tcp.xmpp-a.example.test,52,030101" + Convert.ToHexString(TlsaData),

        // 40 SRV records with long targets: far more than 1232 octets, so dnsmasq sets TC and TCP must be used
        .. Enumerable.Range(0, 40).Select(i =>
            $"srv-host=_xmpp-client._tcp.big.example.test,target-{i:D2}-{new string('x', 40)}.example.test,5222,{i},0"),
    ];

    internal DnsmasqServer Server { get; private set; } = null!;

    internal DnsResolver NewClient() =>
        new(new DnsResolverOptions { Servers = [Server.EndPoint], Timeout = TimeSpan.FromSeconds(2), Retries = 2 });

    public async Task InitializeAsync() => Server = await DnsmasqServer.StartAsync(Zone);

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

public class DnsmasqIntegrationTests(DnsmasqFixture dnsmasq) : IClassFixture<DnsmasqFixture>
{
    [Fact]
    public async Task Srv_returnsAllRecordsWithFields()
    {
        var lookup = await dnsmasq.NewClient().LookupSrvAsync("_xmpp-client._tcp.example.test", default);

        Assert.Equal(DnsStatus.Ok, lookup.Status);
        Assert.Equal(
            ["10 40 5222 xmpp-b.example.test", "10 60 5222 xmpp-a.example.test", "20 0 15222 xmpp-backup.example.test"],
            lookup.Records.Select(r => $"{r.Priority} {r.Weight} {r.Port} {r.Target}").Order(StringComparer.Ordinal));
        Assert.All(lookup.Records, r => Assert.Equal(60u, r.Ttl));
        Assert.False(lookup.Authenticated);
    }

    [Fact]
    public async Task Addresses_returnsAAndAaaa()
    {
        var lookup = await dnsmasq.NewClient().LookupAddressesAsync("xmpp-a.example.test", default);

        Assert.Equal([IPAddress.Parse("127.0.0.11"), IPAddress.Parse("::11")], lookup.Records);
    }

    [Fact]
    public async Task Cname_isFollowed()
    {
        var lookup = await dnsmasq.NewClient().LookupAddressesAsync("alias.example.test", default);

        Assert.Equal(DnsStatus.Ok, lookup.Status);
        Assert.Equal(["xmpp-a.example.test"], lookup.CnameChain);
        Assert.Contains(IPAddress.Parse("127.0.0.11"), lookup.Records);
    }

    [Fact]
    public async Task Tlsa_returnsExactBytes()
    {
        var lookup = await dnsmasq.NewClient().LookupTlsaAsync("_5222._tcp.xmpp-a.example.test", default);

        var tlsa = Assert.Single(lookup.Records);
        Assert.Equal((3, 1, 1), (tlsa.Usage, tlsa.Selector, tlsa.MatchingType));
        Assert.Equal(DnsmasqFixture.TlsaData, tlsa.Data);
    }

    [Fact]
    public async Task Ptr_returnsHostRecordName()
    {
        var lookup = await dnsmasq.NewClient().LookupPtrAsync(IPAddress.Parse("127.0.0.11"), default);

        Assert.Equal(["xmpp-a.example.test"], lookup.Records);
    }

    [Fact]
    public async Task MissingName_isNxDomain_existingNameWithoutType_isNoData()
    {
        var client = dnsmasq.NewClient();

        var missing = await client.LookupSrvAsync("_xmpp-client._tcp.nothing.example.test", default);
        var noTlsa = await client.LookupTlsaAsync("xmpp-b.example.test", default);

        Assert.Equal(DnsStatus.NxDomain, missing.Status);
        Assert.Equal(DnsStatus.NoData, noTlsa.Status);
    }

    [Fact]
    public async Task LargeAnswer_truncatedOverUdp_isCompleteOverTcp()
    {
        var lookup = await dnsmasq.NewClient().LookupSrvAsync("_xmpp-client._tcp.big.example.test", default);

        Assert.Equal(DnsStatus.Ok, lookup.Status);
        Assert.Equal(40, lookup.Records.Count);
    }

    [Fact]
    public async Task Discovery_c2s_mergesBothSrvSets_inDocumentedOrder()
    {
        var result = await new EndpointDiscovery(dnsmasq.NewClient()).DiscoverAsync("example.test", XmppMode.C2S, default);

        Assert.Equal(
        [
            "direct_tls xmpp-a.example.test 127.0.0.11:5223",
            "direct_tls xmpp-a.example.test [::11]:5223",
            "starttls xmpp-a.example.test 127.0.0.11:5222",
            "starttls xmpp-a.example.test [::11]:5222",
            "starttls xmpp-b.example.test 127.0.0.12:5222",
            "starttls xmpp-backup.example.test [::13]:15222",
        ], result.Endpoints.Select(e => $"{e.Transport.Name()} {e.Target} {e.AddressAndPort}"));
        Assert.All(result.Endpoints, e => Assert.Equal(EndpointSource.Srv, e.Source));
        Assert.Equal(4, result.SrvRecords.Count);
        Assert.Empty(result.Problems);
        Assert.False(result.ServiceDisabled);
        // local-ttl=60 on every record: the result may be reused for a minute (the census's planner hands it on).
        Assert.Equal(TimeSpan.FromSeconds(60), result.ValidFor);
    }

    [Fact]
    public async Task Discovery_dotTarget_isDisabledWithoutFallback()
    {
        var result = await new EndpointDiscovery(dnsmasq.NewClient()).DiscoverAsync("example.test", XmppMode.S2S, default);

        Assert.True(result.ServiceDisabled);
        Assert.Empty(result.Endpoints);
    }

    [Fact]
    public async Task Discovery_noSrv_fallsBackToDomainAddresses()
    {
        var result = await new EndpointDiscovery(dnsmasq.NewClient()).DiscoverAsync("plain.example.test", XmppMode.C2S, default);

        Assert.Equal(
            ["127.0.0.20:5222", "[::20]:5222"],
            result.Endpoints.Select(e => e.AddressAndPort));
        Assert.All(result.Endpoints, e => Assert.Equal(EndpointSource.AddressFallback, e.Source));
        Assert.Empty(result.Problems);
    }
}

public class DnsmasqLifecycleTests
{
    [Fact]
    public async Task Dnsmasq_isStoppedAfterDispose()
    {
        var server = await DnsmasqServer.StartAsync(["host-record=one.example.test,127.0.0.1"]);
        var process = server.Process;
        Assert.False(process.HasExited);

        await server.DisposeAsync();

        Assert.True(process.HasExited);
    }
}
