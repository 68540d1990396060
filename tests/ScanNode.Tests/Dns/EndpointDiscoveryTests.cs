using System.Net;
using XmppScanCluster.ScanNode.Dns;
using XmppScanCluster.ScanNode.Tests.Dns.Support;
using XmppScanCluster.Shared.Dns;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Tests.Dns;

public class EndpointDiscoveryTests
{
    private static EndpointDiscovery Discovery(FakeDnsServer server) =>
        new(new DnsResolver(new DnsResolverOptions { Servers = [server.EndPoint], Timeout = TimeSpan.FromSeconds(5), Retries = 1 }));

    private static string Describe(XmppEndpoint e) => $"{e.Transport.Name()} {e.Target} {e.AddressAndPort} p{e.Priority} w{e.Weight} {e.Source}";

    [Fact]
    public async Task SeveralTargets_everyAddressIsAnEndpoint_inPriorityWeightOrder()
    {
        var zone = new FakeZone()
            .Add(TestRecord.Srv("_xmpp-client._tcp.example.test", 20, 0, 5222, "backup.example.test"))
            .Add(TestRecord.Srv("_xmpp-client._tcp.example.test", 10, 5, 5222, "light.example.test"))
            .Add(TestRecord.Srv("_xmpp-client._tcp.example.test", 10, 50, 5222, "heavy.example.test"))
            .Add(TestRecord.Srv("_xmpps-client._tcp.example.test", 10, 50, 5223, "heavy.example.test"))
            .Add(TestRecord.Aaaa("heavy.example.test", "2001:db8::1"))
            .Add(TestRecord.A("heavy.example.test", "192.0.2.1"))
            .Add(TestRecord.A("light.example.test", "192.0.2.2"))
            .Add(TestRecord.A("backup.example.test", "192.0.2.3"));
        await using var server = FakeDnsServer.ForZone(zone);

        var result = await Discovery(server).DiscoverAsync("Example.TEST", XmppMode.C2S, default);

        Assert.Equal("example.test", result.Domain);
        Assert.Equal(
        [
            "starttls heavy.example.test 192.0.2.1:5222 p10 w50 Srv",
            "starttls heavy.example.test [2001:db8::1]:5222 p10 w50 Srv",
            "direct_tls heavy.example.test 192.0.2.1:5223 p10 w50 Srv",
            "direct_tls heavy.example.test [2001:db8::1]:5223 p10 w50 Srv",
            "starttls light.example.test 192.0.2.2:5222 p10 w5 Srv",
            "starttls backup.example.test 192.0.2.3:5222 p20 w0 Srv",
        ], result.Endpoints.Select(Describe));
        Assert.All(result.Endpoints, e => Assert.Equal("example.test", e.Domain));
        Assert.Equal(4, result.SrvRecords.Count);
        Assert.False(result.ServiceDisabled);
        Assert.Empty(result.Problems);
        Assert.Equal(DnssecStatus.Insecure, result.SrvDnssec);
    }

    [Fact]
    public async Task NoSrvRecords_fallsBackToDomainAddresses_onDefaultPort()
    {
        var zone = new FakeZone().Add(TestRecord.A("plain.test", "192.0.2.9")).Add(TestRecord.Aaaa("plain.test", "2001:db8::9"));
        await using var server = FakeDnsServer.ForZone(zone);

        var c2s = await Discovery(server).DiscoverAsync("plain.test", XmppMode.C2S, default);
        var s2s = await Discovery(server).DiscoverAsync("plain.test", XmppMode.S2S, default);

        Assert.Equal(
            ["starttls plain.test 192.0.2.9:5222 p0 w0 AddressFallback", "starttls plain.test [2001:db8::9]:5222 p0 w0 AddressFallback"],
            c2s.Endpoints.Select(Describe));
        Assert.All(s2s.Endpoints, e => Assert.Equal(5269, e.Port));
        Assert.Empty(c2s.SrvRecords);
        Assert.Empty(c2s.Problems);
    }

    [Fact]
    public async Task DotTarget_disablesService_withoutFallback()
    {
        var zone = new FakeZone()
            .Add(TestRecord.Srv("_xmpp-server._tcp.off.test", 0, 0, 0, "."))
            .Add(TestRecord.A("off.test", "192.0.2.10"));
        await using var server = FakeDnsServer.ForZone(zone);

        var result = await Discovery(server).DiscoverAsync("off.test", XmppMode.S2S, default);

        Assert.True(result.ServiceDisabled);
        Assert.Empty(result.Endpoints);
        Assert.Single(result.SrvRecords);
        Assert.Empty(result.Problems);
    }

    [Fact]
    public async Task OnlyDirectTlsDisabled_noFallback()
    {
        // XEP-0368 §5: an _xmpps-* record, even ".", shows SRV is in use; no A/AAAA fallback.
        var zone = new FakeZone()
            .Add(TestRecord.Srv("_xmpps-client._tcp.dtls.test", 0, 0, 0, "."))
            .Add(TestRecord.A("dtls.test", "192.0.2.11"));
        await using var server = FakeDnsServer.ForZone(zone);

        var result = await Discovery(server).DiscoverAsync("dtls.test", XmppMode.C2S, default);

        Assert.False(result.ServiceDisabled);
        Assert.Empty(result.Endpoints);
    }

    [Fact]
    public async Task TargetWithoutAddresses_isAProblem_othersContinue()
    {
        var zone = new FakeZone()
            .Add(TestRecord.Srv("_xmpp-client._tcp.part.test", 0, 0, 5222, "gone.part.test"))
            .Add(TestRecord.Srv("_xmpp-client._tcp.part.test", 1, 0, 5222, "ok.part.test"))
            .Add(TestRecord.A("ok.part.test", "192.0.2.12"));
        await using var server = FakeDnsServer.ForZone(zone);

        var result = await Discovery(server).DiscoverAsync("part.test", XmppMode.C2S, default);

        Assert.Equal(["starttls ok.part.test 192.0.2.12:5222 p1 w0 Srv"], result.Endpoints.Select(Describe));
        var problem = Assert.Single(result.Problems);
        Assert.Equal(FailureKind.DnsFailure, problem.Kind);
        Assert.Contains("gone.part.test", problem.Message);
    }

    [Fact]
    public async Task SrvServFail_isAProblem_andNoFallback()
    {
        var zone = new FakeZone()
            .Fail("_xmpp-client._tcp.sf.test", TestMessage.ServFail)
            .Add(TestRecord.A("sf.test", "192.0.2.13"));
        await using var server = FakeDnsServer.ForZone(zone);

        var result = await Discovery(server).DiscoverAsync("sf.test", XmppMode.C2S, default);

        Assert.Empty(result.Endpoints);
        Assert.Contains(result.Problems, p => p.Kind == FailureKind.DnsFailure && p.Message.Contains("_xmpp-client._tcp.sf.test"));
    }

    [Fact]
    public async Task DuplicateSrvRecords_giveOneEndpointPerAddress()
    {
        var zone = new FakeZone()
            .Add(TestRecord.Srv("_xmpp-client._tcp.dup.test", 0, 10, 5222, "x.dup.test"))
            .Add(TestRecord.Srv("_xmpp-client._tcp.dup.test", 5, 0, 5222, "x.dup.test"))
            .Add(TestRecord.A("x.dup.test", "192.0.2.14"));
        await using var server = FakeDnsServer.ForZone(zone);

        var result = await Discovery(server).DiscoverAsync("dup.test", XmppMode.C2S, default);

        Assert.Equal(["starttls x.dup.test 192.0.2.14:5222 p0 w10 Srv"], result.Endpoints.Select(Describe));
        Assert.Equal(2, result.SrvRecords.Count);
    }

    [Fact]
    public async Task InvalidDomain_isInvalidInput_withoutQueries()
    {
        await using var server = new FakeDnsServer(_ => FakeReply.Silence);

        var result = await Discovery(server).DiscoverAsync("192.0.2.1", XmppMode.C2S, default);

        Assert.Equal(FailureKind.InvalidInput, Assert.Single(result.Problems).Kind);
        Assert.Empty(server.UdpQueries);
    }

    [Fact]
    public async Task IdnDomain_isQueriedInALabelForm()
    {
        var zone = new FakeZone()
            .Add(TestRecord.Srv("_xmpp-client._tcp.xn--bcher-kva.test", 0, 0, 5222, "xmpp.xn--bcher-kva.test"))
            .Add(TestRecord.A("xmpp.xn--bcher-kva.test", "192.0.2.15"));
        await using var server = FakeDnsServer.ForZone(zone);

        var result = await Discovery(server).DiscoverAsync("bücher.test", XmppMode.C2S, default);

        Assert.Equal("xn--bcher-kva.test", result.Domain);
        Assert.Equal(IPAddress.Parse("192.0.2.15"), Assert.Single(result.Endpoints).Address);
    }

    [Fact]
    public async Task SrvPortZero_andDotAmongOthers_areProblems_notEndpoints()
    {
        var zone = new FakeZone()
            .Add(TestRecord.Srv("_xmpp-client._tcp.odd.test", 0, 0, 0, "zero.odd.test"))
            .Add(TestRecord.Srv("_xmpp-client._tcp.odd.test", 0, 0, 5222, "."))
            .Add(TestRecord.Srv("_xmpp-client._tcp.odd.test", 1, 0, 5222, "ok.odd.test"))
            .Add(TestRecord.A("zero.odd.test", "192.0.2.16"))
            .Add(TestRecord.A("ok.odd.test", "192.0.2.17"));
        await using var server = FakeDnsServer.ForZone(zone);

        var result = await Discovery(server).DiscoverAsync("odd.test", XmppMode.C2S, default);

        Assert.Equal(["starttls ok.odd.test 192.0.2.17:5222 p1 w0 Srv"], result.Endpoints.Select(Describe));
        Assert.False(result.ServiceDisabled);
        Assert.Equal(2, result.Problems.Count);
    }
}
