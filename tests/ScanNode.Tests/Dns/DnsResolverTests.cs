using System.Net;
using XmppScanCluster.ScanNode.Dns;
using XmppScanCluster.ScanNode.Tests.Dns.Support;
using XmppScanCluster.Shared.Dns;

namespace XmppScanCluster.ScanNode.Tests.Dns;

/// <summary>
/// The facts our adapter reports from DnsClient 1.8.0 (response code, AD with DO asked, CNAME chain, TCP on
/// truncation, retries, failover, the cache per run), against the scripted fake server on 127.0.0.1.
/// </summary>
public class DnsResolverTests
{
    /// <summary>For servers that answer: one attempt with a deadline no loaded machine misses.</summary>
    internal static DnsResolver Resolver(params FakeDnsServer[] servers) => Resolver(1, TimeSpan.FromSeconds(5), servers);

    internal static DnsResolver Resolver(int attempts, TimeSpan timeout, params FakeDnsServer[] servers) =>
        new(new DnsResolverOptions { Servers = [.. servers.Select(s => s.EndPoint)], Timeout = timeout, Retries = attempts });

    private static FakeReply[] Answer(TestQuery q, params TestRecord[] records) => [new FakeReply(TestMessage.Response(q, answers: records))];

    [Fact]
    public async Task SrvAnswer_givesEveryField_adBit_andTheQueryCarriesDo()
    {
        await using var server = new FakeDnsServer(q =>
            [new FakeReply(TestMessage.Response(q, answers: [TestRecord.Srv(q.Name, 10, 60, 5222, "XMPP.Example.")], authenticated: true))]);

        var lookup = await Resolver(server).LookupSrvAsync("_xmpp-client._tcp.Example.ORG.", default);

        Assert.Equal(DnsStatus.Ok, lookup.Status);
        Assert.Equal(new SrvRecord("_xmpp-client._tcp.example.org", 10, 60, 5222, "xmpp.example", 300), Assert.Single(lookup.Records));
        Assert.True(lookup.Authenticated);
        Assert.Equal(DnssecStatus.Secure, lookup.Dnssec);
        var query = Assert.Single(server.UdpQueries);
        Assert.True(query.DnssecOk);
        Assert.Equal(RecordType.SRV, query.Type);
    }

    [Fact]
    public async Task TlsaAndPtrAnswers_giveTheirFields()
    {
        byte[] data = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];
        var zone = new FakeZone()
            .Add(new TestRecord("_5222._tcp.xmpp.example", RecordType.TLSA, 60, [3, 1, 1, .. data]))
            .Add(new TestRecord("4.3.2.1.in-addr.arpa", RecordType.PTR, 60, TestMessage.EncodeName("xmpp.example")));
        await using var server = FakeDnsServer.ForZone(zone);
        var resolver = Resolver(server);

        var tlsa = Assert.Single((await resolver.LookupTlsaAsync("_5222._tcp.xmpp.example", default)).Records);
        var ptr = await resolver.LookupPtrAsync(IPAddress.Parse("1.2.3.4"), default);

        Assert.Equal((3, 1, 1), (tlsa.Usage, tlsa.Selector, tlsa.MatchingType));
        Assert.Equal(data, tlsa.Data);
        Assert.Equal(["xmpp.example"], ptr.Records);
        Assert.False(ptr.Authenticated);
        Assert.Equal(DnssecStatus.Insecure, ptr.Dnssec);
    }

    [Fact]
    public async Task CnameChain_isFollowedInTheAnswer_andReported()
    {
        var zone = new FakeZone()
            .Add(TestRecord.Cname("alias.example", "middle.example"))
            .Add(TestRecord.Cname("middle.example", "host.example"))
            .Add(TestRecord.A("host.example", "192.0.2.7"));
        await using var server = FakeDnsServer.ForZone(zone);

        var lookup = await Resolver(server).LookupAddressesAsync("alias.example", default);

        Assert.Equal(DnsStatus.Ok, lookup.Status);
        Assert.Equal([IPAddress.Parse("192.0.2.7")], lookup.Records);
        Assert.Equal(["middle.example", "host.example"], lookup.CnameChain);
    }

    [Fact]
    public async Task CnameTheResolverDidNotChase_isAskedForItself()
    {
        await using var server = new FakeDnsServer(q => q.Name == "alias.example"
            ? Answer(q, TestRecord.Cname(q.Name, "host.example"))
            : Answer(q, TestRecord.Srv(q.Name, 0, 0, 5222, "xmpp.example")));

        var lookup = await Resolver(server).LookupSrvAsync("alias.example", default);

        Assert.Equal(DnsStatus.Ok, lookup.Status);
        Assert.Equal(["host.example"], lookup.CnameChain);
        Assert.Contains(server.UdpQueries, q => q.Name == "host.example");
    }

    [Fact]
    public async Task NxDomainAndNoData_areTheirOwnStatuses()
    {
        await using var server = FakeDnsServer.ForZone(new FakeZone().Add(TestRecord.A("host.example", "192.0.2.1")));
        var resolver = Resolver(server);

        var missing = await resolver.LookupSrvAsync("_xmpp-client._tcp.missing.example", default);
        var noSrv = await resolver.LookupSrvAsync("host.example", default);

        Assert.Equal(DnsStatus.NxDomain, missing.Status);
        Assert.Equal(DnsStatus.NoData, noSrv.Status);
        Assert.Equal(DnssecStatus.Insecure, noSrv.Dnssec);
    }

    [Fact]
    public async Task ServFail_isReported_notSkippedToTheNextServer()
    {
        await using var failing = new FakeDnsServer(q => [new FakeReply(TestMessage.Response(q, TestMessage.ServFail))]);
        await using var good = new FakeDnsServer(q => Answer(q, TestRecord.Srv(q.Name, 0, 0, 5222, "xmpp.example")));

        var lookup = await Resolver(failing, good).LookupSrvAsync("_xmpp-client._tcp.servfail.example", default);

        Assert.Equal(DnsStatus.ServerFailure, lookup.Status);
        Assert.Contains("SERVFAIL", lookup.Error);
        Assert.Contains(failing.EndPoint.ToString(), lookup.Error);
        Assert.False(lookup.ValidationFailed);
        Assert.Equal(DnssecStatus.Unknown, lookup.Dnssec);
        Assert.Empty(good.UdpQueries);
    }

    [Fact]
    public async Task ServFailWithDnssecBogusExtendedError_isBogus()
    {
        // RFC 8914 §4.7: INFO-CODE 6 "DNSSEC Bogus".
        await using var validating = new FakeDnsServer(q => [new FakeReply(TestMessage.Response(q, TestMessage.ServFail, extendedError: 6))]);

        var lookup = await Resolver(validating).LookupTlsaAsync("_5222._tcp.bogus.example", default);

        Assert.Equal(DnsStatus.ServerFailure, lookup.Status);
        Assert.True(lookup.ValidationFailed);
        Assert.Equal(DnssecStatus.Bogus, lookup.Dnssec);
    }

    [Fact]
    public async Task ServFailWithANonDnssecExtendedError_isNotBogus()
    {
        // RFC 8914 §4.24: INFO-CODE 23 "Network Error".
        await using var server = new FakeDnsServer(q => [new FakeReply(TestMessage.Response(q, TestMessage.ServFail, extendedError: 23))]);

        var lookup = await Resolver(server).LookupTlsaAsync("_5222._tcp.lame.example", default);

        Assert.Equal(DnsStatus.ServerFailure, lookup.Status);
        Assert.False(lookup.ValidationFailed);
    }

    [Fact]
    public async Task Refused_isRefused()
    {
        await using var server = new FakeDnsServer(q => [new FakeReply(TestMessage.Response(q, TestMessage.Refused))]);

        var lookup = await Resolver(server).LookupSrvAsync("_xmpp-client._tcp.refused.example", default);

        Assert.Equal(DnsStatus.Refused, lookup.Status);
    }

    [Fact]
    public async Task FirstServerSilent_secondServerAnswers_afterTheConfiguredAttempts()
    {
        await using var silent = new FakeDnsServer(_ => FakeReply.Silence);
        await using var good = new FakeDnsServer(q => Answer(q, TestRecord.Srv(q.Name, 0, 0, 5222, "xmpp.example")));

        var lookup = await Resolver(2, TimeSpan.FromSeconds(2), silent, good).LookupSrvAsync("_xmpp-client._tcp.failover.example", default);

        Assert.Equal(DnsStatus.Ok, lookup.Status);
        Assert.Equal(2, silent.UdpQueries.Count);
        Assert.Single(good.UdpQueries);
    }

    [Fact]
    public async Task LostDatagram_isRetried()
    {
        int count = 0;
        await using var server = new FakeDnsServer(q => Interlocked.Increment(ref count) == 1
            ? FakeReply.Silence
            : Answer(q, TestRecord.Srv(q.Name, 0, 0, 5222, "xmpp.example")));

        var lookup = await Resolver(2, TimeSpan.FromSeconds(2), server).LookupSrvAsync("_xmpp-client._tcp.retry.example", default);

        Assert.Equal(DnsStatus.Ok, lookup.Status);
        Assert.Equal(2, server.UdpQueries.Count);
    }

    [Fact]
    public async Task TruncatedUdpAnswer_isAskedAgainOverTcp()
    {
        await using var server = new FakeDnsServer(
            q => [new FakeReply(TestMessage.Response(q, truncated: true))],
            q => TestMessage.Response(q, answers: [TestRecord.Srv(q.Name, 0, 5, 5222, "xmpp.example")]));

        var lookup = await Resolver(server).LookupSrvAsync("_xmpp-client._tcp.tc.example", default);

        Assert.Equal(DnsStatus.Ok, lookup.Status);
        Assert.Equal("xmpp.example", Assert.Single(lookup.Records).Target);
        Assert.Equal("_xmpp-client._tcp.tc.example", Assert.Single(server.TcpQueries).Name);
    }

    [Fact]
    public async Task AnswersAreCachedForTheRun_failuresAreNot()
    {
        int failures = 0;
        await using var server = new FakeDnsServer(q => q.Name.StartsWith("fail", StringComparison.Ordinal)
            ? [new FakeReply(TestMessage.Response(q, Interlocked.Increment(ref failures) == 1 ? TestMessage.ServFail : TestMessage.NoError,
                answers: [TestRecord.Srv(q.Name, 0, 0, 5222, "xmpp.example")]))]
            : Answer(q, TestRecord.Srv(q.Name, 0, 0, 5222, "xmpp.example")));
        var resolver = Resolver(server);

        var first = await resolver.LookupSrvAsync("_xmpp-client._tcp.cached.example", default);
        var second = await resolver.LookupSrvAsync("_xmpp-client._tcp.cached.example", default);
        var failed = await resolver.LookupSrvAsync("fail.example", default);
        var again = await resolver.LookupSrvAsync("fail.example", default);
        var otherRun = await Resolver(server).LookupSrvAsync("_xmpp-client._tcp.cached.example", default);

        Assert.Equal((DnsStatus.Ok, DnsStatus.Ok, DnsStatus.Ok), (first.Status, second.Status, otherRun.Status));
        Assert.Equal((DnsStatus.ServerFailure, DnsStatus.Ok), (failed.Status, again.Status));
        Assert.Equal(2, server.UdpQueries.Count(q => q.Name == "_xmpp-client._tcp.cached.example"));
    }

    [Fact]
    public async Task CallerCancels_throwsOperationCanceled()
    {
        await using var server = new FakeDnsServer(_ => FakeReply.Silence);
        using var cancel = new CancellationTokenSource();
        var lookup = Resolver(server).LookupSrvAsync("_xmpp-client._tcp.cancel.example", cancel.Token);
        while (server.UdpQueries.IsEmpty)
        {
            await Task.Delay(10);
        }

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => lookup);
    }

    [Fact]
    public async Task NoServers_isNetworkError()
    {
        var lookup = await new DnsResolver(new DnsResolverOptions()).LookupSrvAsync("_xmpp-client._tcp.example.org", default);

        Assert.Equal(DnsStatus.NetworkError, lookup.Status);
    }

    /// <summary>
    /// Issue 13 item 8: a closed DNS port (ICMP port unreachable) is waited on once, not for every lookup. The first
    /// lookup waits out its attempts (DnsClient does not see the ICMP), then a connected socket finds the port closed;
    /// the lookups after it fail at once with that reason instead of a timeout each.
    /// </summary>
    [Fact]
    public async Task ClosedPort_firstLookupFindsItClosed_laterLookupsAreNotWaitedFor()
    {
        var address = IPAddress.Parse((Environment.GetEnvironmentVariable("XMPPSCAN_FREE_NET") ?? "127.0.0") + ".53");
        int port;
        using (var probe = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram,
                   System.Net.Sockets.ProtocolType.Udp))
        {
            probe.Bind(new IPEndPoint(address, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }

        var resolver = new DnsResolver(new DnsResolverOptions { Servers = [new IPEndPoint(address, port)], Timeout = TimeSpan.FromSeconds(1), Retries = 2 });
        var first = await resolver.LookupSrvAsync("_xmpp-client._tcp.closed.example", default).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(DnsStatus.NetworkError, first.Status);
        Assert.Contains($"DNS port closed on {address}:{port}", first.Error, StringComparison.Ordinal);

        // Without the check this would be a Timeout again; with it, the same reason and no query.
        var later = await resolver.LookupAddressesAsync("xmpp.closed.example", default).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(DnsStatus.NetworkError, later.Status);
        Assert.Contains("DNS port closed", later.Error, StringComparison.Ordinal);
    }
}
