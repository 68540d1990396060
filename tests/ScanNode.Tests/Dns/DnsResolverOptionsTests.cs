using System.Net;
using XmppScanCluster.ScanNode.Dns;

namespace XmppScanCluster.ScanNode.Tests.Dns;

public class DnsResolverOptionsTests
{
    [Theory]
    [InlineData("1.2.3.4", "1.2.3.4:53")]
    [InlineData("1.2.3.4:5353", "1.2.3.4:5353")]
    [InlineData("::1", "[::1]:53")]
    [InlineData("[::1]", "[::1]:53")]
    [InlineData("[::1]:5353", "[::1]:5353")]
    [InlineData(" 2001:db8::53 ", "[2001:db8::53]:53")]
    public void TryParseServer_validForms(string text, string expected)
    {
        Assert.True(DnsResolverOptions.TryParseServer(text, out var server, out string? error), error);
        Assert.Equal(expected, server!.ToString());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("1", "not an IPv4 or IPv6 address")]
    [InlineData("1.2.3", "not an IPv4 or IPv6 address")]
    [InlineData("dns.example", "not an IPv4 or IPv6 address")]
    [InlineData("1.2.3.4:0", "port")]
    [InlineData("1.2.3.4:65536", "port")]
    [InlineData("1.2.3.4:x", "port")]
    [InlineData("[::1", "missing ']'")]
    [InlineData("[::1]5353", "expected ':port'")]
    public void TryParseServer_invalidForms(string text, string expectedFragment)
    {
        Assert.False(DnsResolverOptions.TryParseServer(text, out var server, out string? error));
        Assert.Null(server);
        Assert.Contains(expectedFragment, error);
    }

    [Fact]
    public void FromResolvConf_readsNameserversIpv4AndIpv6()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """
                # generated
                ; another comment
                search example.org
                nameserver 127.0.0.53
                nameserver   ::1
                nameserver not-an-address
                nameserver 127.0.0.53
                options edns0 trust-ad
                nameserver 127.0.0.54
                nameserver 127.0.0.55
                """);

            var options = DnsResolverOptions.FromResolvConf(path);

            Assert.Equal(
                [new IPEndPoint(IPAddress.Parse("127.0.0.53"), 53), new IPEndPoint(IPAddress.IPv6Loopback, 53), new IPEndPoint(IPAddress.Parse("127.0.0.54"), 53)],
                options.Servers);
            Assert.True(options.RequestDnssec);
            Assert.Equal(ScanLimits.Default.DnsTimeout, options.Timeout);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void FromResolvConf_missingFile_fallsBackToLoopback()
    {
        var options = DnsResolverOptions.FromResolvConf(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N")));

        Assert.Equal([new IPEndPoint(IPAddress.Loopback, 53)], options.Servers);
    }
}
