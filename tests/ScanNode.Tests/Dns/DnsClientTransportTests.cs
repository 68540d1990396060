using System.Net;
using XmppScanCluster.ScanNode.Dns;
using XmppScanCluster.ScanNode.Tests.Dns.Support;
using XmppScanCluster.Shared.Dns;

namespace XmppScanCluster.ScanNode.Tests.Dns;

/// <summary>UDP, retries, TCP fallback and server failover against the scripted fake server on 127.0.0.1.</summary>
public class DnsClientTransportTests
{
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(1);

    internal static DnsClient Client(params FakeDnsServer[] servers) => Client(1, servers);

    internal static DnsClient Client(int retries, params FakeDnsServer[] servers) =>
        new(new DnsResolverOptions { Servers = servers.Select(s => s.EndPoint).ToList(), Timeout = Short, Retries = retries });

    private static FakeReply[] Answer(TestQuery q, params TestRecord[] records) => [new FakeReply(TestMessage.Response(q, answers: records))];

    [Fact]
    public async Task FirstAttemptUnanswered_retrySucceeds()
    {
        int count = 0;
        await using var server = new FakeDnsServer(q => Interlocked.Increment(ref count) == 1
            ? FakeReply.Silence
            : Answer(q, TestRecord.A(q.Name, "192.0.2.1")));

        var lookup = await Client(2, server).LookupAddressesAsync("retry.example", default);

        Assert.Equal(DnsStatus.Ok, lookup.Status);
        Assert.Contains(IPAddress.Parse("192.0.2.1"), lookup.Records);
        Assert.True(server.UdpQueries.Count >= 3); // A twice (or AAAA twice) plus the other
    }

    [Fact]
    public async Task TruncatedUdpAnswer_isRetriedOverTcp()
    {
        await using var server = new FakeDnsServer(
            q => [new FakeReply(TestMessage.Response(q, truncated: true))],
            q => TestMessage.Response(q, answers: [TestRecord.Srv(q.Name, 0, 5, 5222, "xmpp.example")]));

        var lookup = await Client(server).LookupSrvAsync("_xmpp-client._tcp.tc.example", default);

        Assert.Equal(DnsStatus.Ok, lookup.Status);
        Assert.Equal("xmpp.example", Assert.Single(lookup.Records).Target);
        Assert.Single(server.UdpQueries);
        var tcpQuery = Assert.Single(server.TcpQueries);
        Assert.Equal("_xmpp-client._tcp.tc.example", tcpQuery.Name);
    }

    [Fact]
    public async Task WrongIdDatagram_isIgnored_thenRightOneAccepted()
    {
        await using var server = new FakeDnsServer(q =>
        [
            new FakeReply(TestMessage.Response(q, answers: [TestRecord.A(q.Name, "192.0.2.66")], id: (ushort)(q.Id ^ 0x5555))),
            new FakeReply(TestMessage.Response(q, answers: [TestRecord.A(q.Name, "192.0.2.1")])),
        ]);

        var lookup = await Client(server).LookupSrvAsync("x.example", default);
        var address = await Client(server).LookupAddressesAsync("wrongid.example", default);

        Assert.Equal(DnsStatus.NoData, lookup.Status); // an A record does not answer SRV
        Assert.Equal([IPAddress.Parse("192.0.2.1")], address.Records);
    }

    [Fact]
    public async Task DatagramFromWrongSource_isIgnored()
    {
        await using var server = new FakeDnsServer(q =>
        [
            new FakeReply(TestMessage.Response(q, answers: [TestRecord.A(q.Name, "192.0.2.66")]), FromOtherSocket: true),
            new FakeReply(TestMessage.Response(q, answers: [TestRecord.A(q.Name, "192.0.2.1")])),
        ]);

        var lookup = await Client(server).LookupAddressesAsync("source.example", default);

        Assert.Equal([IPAddress.Parse("192.0.2.1")], lookup.Records);
    }

    [Fact]
    public async Task OnlySpoofedDatagrams_timeOutNamingWhatWasIgnored()
    {
        await using var server = new FakeDnsServer(q =>
            [new FakeReply(TestMessage.Response(q, answers: [TestRecord.A(q.Name, "192.0.2.66")], questionName: "evil.example"))]);

        var lookup = await Client(server).LookupTlsaAsync("_443._tcp.spoof.example", default);

        Assert.Equal(DnsStatus.Timeout, lookup.Status);
        Assert.Contains("ignored", lookup.Error);
        Assert.Contains(server.EndPoint.ToString(), lookup.Error);
    }

    [Fact]
    public async Task FirstServerSilent_secondServerAnswers()
    {
        await using var silent = new FakeDnsServer(_ => FakeReply.Silence);
        await using var good = new FakeDnsServer(q => Answer(q, TestRecord.A(q.Name, "192.0.2.2")));

        var lookup = await Client(2, silent, good).LookupAddressesAsync("failover.example", default);

        Assert.Equal([IPAddress.Parse("192.0.2.2")], lookup.Records);
        Assert.Equal(4, silent.UdpQueries.Count); // A and AAAA, two attempts each
    }

    [Fact]
    public async Task AllServersSilent_timeoutNamesEveryServer()
    {
        await using var one = new FakeDnsServer(_ => FakeReply.Silence);
        await using var two = new FakeDnsServer(_ => FakeReply.Silence);

        var lookup = await Client(one, two).LookupSrvAsync("_xmpp-client._tcp.dead.example", default);

        Assert.Equal(DnsStatus.Timeout, lookup.Status);
        Assert.Contains(one.EndPoint.ToString(), lookup.Error);
        Assert.Contains(two.EndPoint.ToString(), lookup.Error);
        Assert.Equal(DnssecStatus.Unknown, lookup.Dnssec);
    }

    [Fact]
    public async Task ServFail_returnsServerFailure_andTriesNextServer()
    {
        await using var failing = new FakeDnsServer(q => [new FakeReply(TestMessage.Response(q, TestMessage.ServFail))]);

        var lookup = await Client(failing).LookupSrvAsync("_xmpp-client._tcp.servfail.example", default);

        Assert.Equal(DnsStatus.ServerFailure, lookup.Status);
        Assert.Contains("SERVFAIL", lookup.Error);
        Assert.False(lookup.ValidationFailed); // the CD retry failed the same way
        Assert.Contains(failing.UdpQueries, q => q.CheckingDisabled);
    }

    [Fact]
    public async Task ServFailOnlyWithValidation_isBogus()
    {
        await using var validating = new FakeDnsServer(q => q.CheckingDisabled
            ? Answer(q, TestRecord.Srv(q.Name, 0, 0, 5222, "xmpp.example"))
            : [new FakeReply(TestMessage.Response(q, TestMessage.ServFail))]);

        var lookup = await Client(validating).LookupSrvAsync("_xmpp-client._tcp.bogus.example", default);

        Assert.Equal(DnsStatus.ServerFailure, lookup.Status);
        Assert.Equal(DnssecStatus.Bogus, lookup.Dnssec);
    }

    [Fact]
    public async Task Refused_returnsRefused()
    {
        await using var server = new FakeDnsServer(q => [new FakeReply(TestMessage.Response(q, TestMessage.Refused))]);

        var lookup = await Client(server).LookupPtrAsync(IPAddress.Parse("192.0.2.1"), default);

        Assert.Equal(DnsStatus.Refused, lookup.Status);
    }

    [Fact]
    public async Task NxDomain_returnsNxDomain_withoutTryingAgain()
    {
        await using var server = new FakeDnsServer(q => [new FakeReply(TestMessage.Response(q, TestMessage.NxDomain))]);

        var lookup = await Client(2, server).LookupSrvAsync("_xmpp-client._tcp.nx.example", default);

        Assert.Equal(DnsStatus.NxDomain, lookup.Status);
        Assert.Single(server.UdpQueries);
    }

    [Fact]
    public async Task AuthenticatedAnswer_isSecure_andQueryCarriesDo()
    {
        await using var server = new FakeDnsServer(q =>
            [new FakeReply(TestMessage.Response(q, answers: [TestRecord.Srv(q.Name, 0, 0, 5222, "xmpp.example")], authenticated: true))]);

        var lookup = await Client(server).LookupSrvAsync("_xmpp-client._tcp.secure.example", default);

        Assert.True(lookup.Authenticated);
        Assert.Equal(DnssecStatus.Secure, lookup.Dnssec);
        Assert.True(Assert.Single(server.UdpQueries).DnssecOk);
    }

    [Fact]
    public async Task OversizedDatagram_returnsMalformed()
    {
        await using var server = new FakeDnsServer(q =>
        {
            byte[] response = TestMessage.Response(q, answers: [TestRecord.A(q.Name, "192.0.2.1")]);
            return [new FakeReply([.. response, .. new byte[5000]])];
        });

        var lookup = await Client(server).LookupSrvAsync("_xmpp-client._tcp.big.example", default);

        Assert.Equal(DnsStatus.Malformed, lookup.Status);
        Assert.Contains("larger than", lookup.Error);
    }

    [Fact]
    public async Task MalformedAnswer_returnsMalformed()
    {
        await using var server = new FakeDnsServer(q =>
        {
            byte[] response = TestMessage.Response(q, answers: [TestRecord.A(q.Name, "192.0.2.1")]);
            return [new FakeReply(response[..^1])];
        });

        var lookup = await Client(server).LookupSrvAsync("_xmpp-client._tcp.broken.example", default);

        Assert.Equal(DnsStatus.Malformed, lookup.Status);
        Assert.Contains("RDLENGTH", lookup.Error);
    }

    [Fact]
    public async Task CallerCancels_throwsOperationCanceled()
    {
        await using var server = new FakeDnsServer(_ => FakeReply.Silence);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client(server).LookupSrvAsync("_x._tcp.slow.example", cts.Token));
    }

    [Fact]
    public async Task NoServers_returnsNetworkError()
    {
        var lookup = await new DnsClient(new DnsResolverOptions()).LookupSrvAsync("_x._tcp.example", default);

        Assert.Equal(DnsStatus.NetworkError, lookup.Status);
    }

    [Fact]
    public async Task UnusableName_returnsMalformedWithoutSending()
    {
        await using var server = new FakeDnsServer(_ => FakeReply.Silence);

        var lookup = await Client(server).LookupSrvAsync("bad..name", default);

        Assert.Equal(DnsStatus.Malformed, lookup.Status);
        Assert.Empty(server.UdpQueries);
    }
}
