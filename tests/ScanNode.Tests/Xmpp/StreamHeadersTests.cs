using System.Net;
using System.Text;
using XmppScanCluster.ScanNode.Xmpp;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Tests.Xmpp;

public class StreamHeadersTests
{
    private static XmppEndpoint Endpoint(XmppMode mode, string domain = "example.test") =>
        new(domain, mode, TlsTransport.StartTls, "xmpp.elsewhere.test", IPAddress.Loopback, 5222, 0, 0, EndpointSource.Srv);

    [Fact]
    public void C2s_jabberClient_toIsTheDomainNotTheTarget()
    {
        var header = Encoding.UTF8.GetString(StreamHeaders.Open(Endpoint(XmppMode.C2S), "scanner.invalid"));

        Assert.Contains("xmlns='jabber:client'", header);
        Assert.Contains("xmlns:stream='http://etherx.jabber.org/streams'", header);
        Assert.Contains("to='example.test'", header);
        Assert.Contains("version='1.0'", header);
        Assert.DoesNotContain("from=", header);
        Assert.DoesNotContain("elsewhere", header);
    }

    [Fact]
    public void S2s_jabberServer_dialbackPrefix_from()
    {
        var header = Encoding.UTF8.GetString(StreamHeaders.Open(Endpoint(XmppMode.S2S), "scanner.invalid"));

        Assert.Contains("xmlns='jabber:server'", header);
        Assert.Contains("xmlns:db='jabber:server:dialback'", header);
        Assert.Contains("from='scanner.invalid'", header);
        Assert.Contains("to='example.test'", header);
    }

    [Fact]
    public void Domain_isAttributeEscaped()
    {
        var header = Encoding.UTF8.GetString(StreamHeaders.Open(Endpoint(XmppMode.C2S, "a'b<c"), "x"));

        Assert.Contains("to='a&apos;b&lt;c'", header);
    }
}
