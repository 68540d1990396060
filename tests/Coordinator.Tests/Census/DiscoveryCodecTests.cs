using System.Net;
using XmppScanCluster.Coordinator.Census;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.ScanNode.Dns;
using XmppScanCluster.Shared.Dns;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.Coordinator.Tests.Census;

/// <summary>
/// Planning's discovery results as the census store keeps them for nodes of other processes (issue 14). The text is read
/// back from a database other processes write: whole, truncated anywhere and mutated anywhere it gives a result of the
/// asked domain and mode or null, never an exception.
/// </summary>
public sealed class DiscoveryCodecTests
{
    private static readonly DiscoveryResult Sample = new("example.org", XmppMode.C2S,
        [
            new XmppEndpoint("example.org", XmppMode.C2S, TlsTransport.DirectTls, "xmpp.example.org", IPAddress.Parse("2001:db8::5"), 5223, 0, 5, EndpointSource.Srv),
            new XmppEndpoint("example.org", XmppMode.C2S, TlsTransport.StartTls, "xmpp.example.org", IPAddress.Parse("192.0.2.5"), 5222, 5, 0, EndpointSource.Srv),
        ],
        [
            new SrvRecord("_xmpps-client._tcp.example.org", 0, 5, 5223, "xmpp.example.org", 300),
            new SrvRecord("_xmpp-client._tcp.example.org", 5, 0, 5222, "xmpp.example.org", 300),
        ],
        false, DnssecStatus.Insecure, [new ProbeFailure(FailureKind.DnsFailure, "AAAA of xmpp2.example.org: SERVFAIL")])
    {
        ValidFor = TimeSpan.FromSeconds(300),
    };

    [Fact]
    public void Result_roundTrips_asTheFactsItsDiscoverStepWrites()
    {
        var text = DiscoveryCodec.Write(Sample)!;
        Assert.Contains("\"endpoints\":[{\"domain\":\"example.org\",\"mode\":\"c2s\",\"transport\":\"direct_tls\"", text, StringComparison.Ordinal);

        var read = DiscoveryCodec.Read(text, "Example.ORG.", XmppMode.C2S)!;
        Assert.Equal(Sample.Endpoints, read.Endpoints);
        Assert.Equal(Sample.SrvRecords, read.SrvRecords);
        Assert.Equal(Sample.Problems, read.Problems);
        Assert.Equal(Sample.Report() with { Srv = [], Problems = [] }, read.Report() with { Srv = [], Problems = [] });
    }

    [Fact]
    public void Result_readForAnotherDomainOrMode_isNull()
    {
        var text = DiscoveryCodec.Write(Sample)!;
        Assert.Null(DiscoveryCodec.Read(text, "example.net", XmppMode.C2S));
        Assert.Null(DiscoveryCodec.Read(text, "example.org", XmppMode.S2S));
        Assert.Null(DiscoveryCodec.Read(text, "not a domain", XmppMode.C2S));
    }

    [Fact]
    public void Result_tooLongToKeep_isNotWritten_andTooLongText_isNotParsed()
    {
        var many = Sample with
        {
            Endpoints = [.. Enumerable.Range(0, 2000).Select(i => Sample.Endpoints[1] with { Address = new IPAddress(0xC0000200u + (uint)i) })],
        };
        Assert.Null(DiscoveryCodec.Write(many));
        Assert.Null(DiscoveryCodec.Read(new string(' ', PlannedDiscoveryRow.MaxResultChars + 1), "example.org", XmppMode.C2S));
        Assert.Null(DiscoveryCodec.Read("", "example.org", XmppMode.C2S));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("""{"endpoints":[],"completed":null}""")]
    [InlineData("""{"endpoints":null,"completed":{"domain":"example.org","mode":"c2s","dns":{"srv":[],"service_disabled":false,"address_fallback":false,"srv_dnssec":"insecure","problems":[]},"endpoints":0}}""")]
    [InlineData("""{"endpoints":[null],"completed":{"domain":"example.org","mode":"c2s","dns":{"srv":[],"service_disabled":false,"address_fallback":false,"srv_dnssec":"insecure","problems":[]},"endpoints":1}}""")]
    [InlineData("""{"endpoints":[],"completed":{"domain":"example.org","mode":"c2s","dns":{"srv":[null],"service_disabled":false,"address_fallback":false,"srv_dnssec":"insecure","problems":[]},"endpoints":0}}""")]
    [InlineData("""{"endpoints":[],"completed":{"domain":"example.org","mode":0,"dns":{"srv":[],"service_disabled":false,"address_fallback":false,"srv_dnssec":"insecure","problems":[]},"endpoints":0}}""")]
    [InlineData("""{"endpoints":[],"completed":{"domain":"example.org","mode":"c2s","dns":{"srv":[],"service_disabled":false,"address_fallback":false,"srv_dnssec":"insecure","problems":[]},"endpoints":7}}""")]
    [InlineData("""{"endpoints":[],"completed":{"domain":"example.org","mode":"c2s","dns":{"srv":[],"service_disabled":false,"address_fallback":false,"srv_dnssec":"maybe","problems":[]},"endpoints":0}}""")]
    [InlineData("""{"endpoints":[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]],"completed":null}""")]
    public void MalformedText_isNull(string text) => Assert.Null(DiscoveryCodec.Read(text, "example.org", XmppMode.C2S));

    [Fact]
    public void Endpoint_withABadAddressPortOrDomain_makesTheWholeResultNull()
    {
        var text = DiscoveryCodec.Write(Sample)!;
        Assert.Null(DiscoveryCodec.Read(text.Replace("\"192.0.2.5\"", "\"192.0.2.500\"", StringComparison.Ordinal), "example.org", XmppMode.C2S));
        Assert.Null(DiscoveryCodec.Read(text.Replace("\"port\":5222", "\"port\":70000", StringComparison.Ordinal), "example.org", XmppMode.C2S));
        Assert.Null(DiscoveryCodec.Read(text.Replace("\"port\":5222", "\"port\":0", StringComparison.Ordinal), "example.org", XmppMode.C2S));
        Assert.Null(DiscoveryCodec.Read(text.Replace("{\"domain\":\"example.org\",\"mode\":\"c2s\",\"transport\"",
            "{\"domain\":\"evil.example\",\"mode\":\"c2s\",\"transport\"", StringComparison.Ordinal), "example.org", XmppMode.C2S));
    }

    [Fact]
    public void EveryTruncation_isNull_andEveryOneCharacterMutation_isNullOrAResultOfTheDomain()
    {
        var text = DiscoveryCodec.Write(Sample)!;
        for (var length = 0; length < text.Length; length++)
        {
            Assert.Null(DiscoveryCodec.Read(text[..length], "example.org", XmppMode.C2S));
        }

        foreach (var c in "\"{}[],:0x\\\u0000")
        {
            for (var i = 0; i < text.Length; i++)
            {
                var read = DiscoveryCodec.Read(string.Concat(text.AsSpan(0, i), c.ToString(), text.AsSpan(i + 1)), "example.org", XmppMode.C2S);
                Assert.True(read is null || (read.Domain, read.Mode) == ("example.org", XmppMode.C2S));
            }
        }
    }
}
