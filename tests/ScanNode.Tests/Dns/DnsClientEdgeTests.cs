using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using XmppScanCluster.ScanNode.Dns;
using XmppScanCluster.ScanNode.Tests.Dns.Support;
using XmppScanCluster.Shared.Dns;

namespace XmppScanCluster.ScanNode.Tests.Dns;

/// <summary>Less common paths: EDE, negative caching, unchased CNAMEs, TCP failures.</summary>
public class DnsClientEdgeTests
{
    [Fact]
    public async Task ServFailWithDnssecBogusEde_isBogus_withoutCdRetry()
    {
        await using var server = new FakeDnsServer(q => [new FakeReply(TestMessage.Response(q, TestMessage.ServFail, extendedError: 6))]);

        var lookup = await DnsClientTransportTests.Client(server).LookupSrvAsync("_xmpp-client._tcp.ede.example", default);

        Assert.Equal(DnssecStatus.Bogus, lookup.Dnssec);
        Assert.DoesNotContain(server.UdpQueries, q => q.CheckingDisabled);
    }

    [Fact]
    public void ResponseWithOptAndEde_isParsed()
    {
        var query = new TestQuery(WireFixtures.Id, "x.example", DnsRecordType.A, false, true, []);
        byte[] wire = TestMessage.Response(query, TestMessage.ServFail, extendedError: 22);

        Assert.True(DnsMessageParser.TryParse(wire, out var message, out string? error), error);
        Assert.True(message!.HasOpt);
        Assert.Equal([(ushort)22], message.ExtendedErrors);
        Assert.Equal(2, message.Rcode);
    }

    [Fact]
    public void TwoOptRecords_returnsMalformed()
    {
        var query = new TestQuery(WireFixtures.Id, "x.example", DnsRecordType.A, false, true, []);
        byte[] wire = TestMessage.Response(query, extendedError: 1);
        byte[] opt = wire[^17..];
        byte[] twice = [.. wire, .. opt];
        twice[11] = 2; // ARCOUNT 2

        Assert.False(DnsMessageParser.TryParse(twice, out _, out string? error));
        Assert.Contains("OPT", error);
    }

    [Fact]
    public void NegativeAnswer_isCachedForSoaMinimum()
    {
        var query = new TestQuery(WireFixtures.Id, "none.example", DnsRecordType.A, false, true, []);
        byte[] wire = TestMessage.Response(query, TestMessage.NxDomain, authority: [TestRecord.Soa("example", ttl: 3600, minimum: 300)]);

        Assert.True(DnsMessageParser.TryParse(wire, out var message, out _));

        Assert.Equal(TimeSpan.FromSeconds(300), DnsAnswerReader.CacheTime(new DnsQueryOutcome(message, DnsStatus.Ok, null)));
    }

    [Fact]
    public async Task UnchasedCname_isContinuedWithTheTarget()
    {
        await using var server = new FakeDnsServer(q => q.Name switch
        {
            "alias.example" => [new FakeReply(TestMessage.Response(q, answers: [TestRecord.Cname("alias.example", "real.example")]))],
            "real.example" when q.Type == DnsRecordType.A => [new FakeReply(TestMessage.Response(q, answers: [TestRecord.A("real.example", "192.0.2.20")]))],
            _ => [new FakeReply(TestMessage.Response(q))],
        });

        var lookup = await DnsClientTransportTests.Client(server).LookupAddressesAsync("alias.example", default);

        Assert.Equal(DnsStatus.Ok, lookup.Status);
        Assert.Equal([IPAddress.Parse("192.0.2.20")], lookup.Records);
        Assert.Equal(["real.example"], lookup.CnameChain);
    }

    [Fact]
    public async Task CnameLoopAcrossQueries_endsMalformed()
    {
        await using var server = new FakeDnsServer(q => q.Name switch
        {
            "a.example" => [new FakeReply(TestMessage.Response(q, answers: [TestRecord.Cname("a.example", "b.example")]))],
            _ => [new FakeReply(TestMessage.Response(q, answers: [TestRecord.Cname("b.example", "a.example")]))],
        });

        var lookup = await DnsClientTransportTests.Client(server).LookupSrvAsync("a.example", default);

        Assert.Equal(DnsStatus.Malformed, lookup.Status);
        Assert.True(server.UdpQueries.Count <= 2 * DnsAnswerReader.MaxCnameHops);
    }

    [Fact]
    public async Task TcpWrongId_returnsMalformed()
    {
        await using var server = new FakeDnsServer(
            q => [new FakeReply(TestMessage.Response(q, truncated: true))],
            q => TestMessage.Response(q, id: (ushort)(q.Id + 1)));

        var lookup = await DnsClientTransportTests.Client(server).LookupSrvAsync("_xmpp-client._tcp.tcpid.example", default);

        Assert.Equal(DnsStatus.Malformed, lookup.Status);
        Assert.Contains("TCP", lookup.Error);
    }

    [Fact]
    public async Task TcpRefused_afterTruncation_returnsNetworkError()
    {
        // A UDP-only responder: every answer is truncated, and nothing listens on TCP at that port.
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var endPoint = (IPEndPoint)udp.LocalEndPoint!;
        using var stop = new CancellationTokenSource();
        var responder = Task.Run(async () =>
        {
            byte[] buffer = new byte[1024];
            var received = await udp.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), stop.Token);
            var query = TestQuery.Parse(buffer[..received.ReceivedBytes]);
            await udp.SendToAsync(TestMessage.Response(query, truncated: true), SocketFlags.None, received.RemoteEndPoint);
        });
        var client = new DnsClient(new DnsResolverOptions { Servers = [endPoint], Timeout = TimeSpan.FromSeconds(1), Retries = 1 });

        var lookup = await client.LookupSrvAsync("_xmpp-client._tcp.notcp.example", default);
        await responder;

        Assert.Equal(DnsStatus.NetworkError, lookup.Status);
        Assert.Contains("ConnectionRefused", lookup.Error);
    }

    [Fact]
    public async Task TcpAnswerDeliveredByteByByte_isReassembled()
    {
        await using var server = new FakeDnsServer(
            q => [new FakeReply(TestMessage.Response(q, truncated: true))],
            q => TestMessage.Response(q, answers: [TestRecord.Srv(q.Name, 1, 2, 5222, "slow.example")]),
            tcpByteByByte: true);
        var client = new DnsClient(new DnsResolverOptions { Servers = [server.EndPoint], Timeout = TimeSpan.FromSeconds(5), Retries = 1 });

        var lookup = await client.LookupSrvAsync("_xmpp-client._tcp.bytes.example", default);

        Assert.Equal("slow.example", Assert.Single(lookup.Records).Target);
    }

    [Fact]
    public async Task ZeroTimeout_usesDefaultInsteadOfThrowing()
    {
        await using var server = FakeDnsServer.ForZone(new FakeZone().Add(TestRecord.A("t.example", "192.0.2.30")));
        var client = new DnsClient(new DnsResolverOptions { Servers = [server.EndPoint], Timeout = TimeSpan.Zero, Retries = 0 });

        var lookup = await client.LookupAddressesAsync("t.example", default);

        Assert.Equal(DnsStatus.Ok, lookup.Status);
    }

    [Fact]
    public async Task Ipv6LoopbackServer_udpAndTcp()
    {
        await using var server = new FakeDnsServer(
            q => [new FakeReply(TestMessage.Response(q, truncated: q.Type == DnsRecordType.SRV,
                answers: q.Type == DnsRecordType.SRV ? null : [TestRecord.Aaaa(q.Name, "2001:db8::40")]))],
            q => TestMessage.Response(q, answers: [TestRecord.Srv(q.Name, 0, 0, 5222, "v6.example")]),
            address: IPAddress.IPv6Loopback);
        Assert.True(DnsResolverOptions.TryParseServer($"[::1]:{server.EndPoint.Port}", out var endPoint, out _));
        var client = new DnsClient(new DnsResolverOptions { Servers = [endPoint!], Timeout = TimeSpan.FromSeconds(1), Retries = 1 });

        var addresses = await client.LookupAddressesAsync("v6.example", default);
        var srv = await client.LookupSrvAsync("_xmpp-client._tcp.v6.example", default);

        Assert.Equal([IPAddress.Parse("2001:db8::40")], addresses.Records);
        Assert.Equal("v6.example", Assert.Single(srv.Records).Target);
        Assert.Single(server.TcpQueries);
    }

    [Fact]
    public void RandomBytesWithTheRightId_neverThrow()
    {
        var random = new Random(20261121);
        for (int i = 0; i < 20_000; i++)
        {
            byte[] wire = new byte[random.Next(0, 600)];
            random.NextBytes(wire);
            if (wire.Length >= 2)
            {
                BinaryPrimitives.WriteUInt16BigEndian(wire, WireFixtures.Id);
            }

            if (i % 2 == 0 && wire.Length >= 12)
            {
                // Plausible counts make the parser walk further into the random body.
                wire[4] = 0; wire[5] = 1; wire[6] = 0; wire[7] = (byte)random.Next(0, 4);
                wire[8] = 0; wire[9] = 0; wire[10] = 0; wire[11] = (byte)random.Next(0, 2);
            }

            var verdict = DnsResponseValidator.Check(wire, WireFixtures.Id, "example.org", DnsRecordType.A, out var message, out string? error);
            if (verdict == DnsVerdict.Accept)
            {
                _ = DnsAnswerReader.Read(new DnsQueryOutcome(message, DnsStatus.Ok, null), "example.org", DnsRecordType.A, DnsRecordConverters.Address);
            }
            else
            {
                Assert.False(string.IsNullOrEmpty(error));
            }
        }
    }
}
