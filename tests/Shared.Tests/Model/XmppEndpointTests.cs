using System.Net;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.Shared.Tests.Model;

public class XmppEndpointTests
{
    [Fact]
    public void Ipv6Endpoint_addressAndPortIsBracketed()
    {
        var endpoint = new XmppEndpoint("example.test", XmppMode.C2S, TlsTransport.StartTls, "xmpp.example.test",
            IPAddress.IPv6Loopback, 5222, 0, 5, EndpointSource.Srv);
        Assert.Equal("[::1]:5222", endpoint.AddressAndPort);
    }

    [Theory]
    [InlineData(XmppMode.C2S, 5222, "jabber:client", "xmpp-client")]
    [InlineData(XmppMode.S2S, 5269, "jabber:server", "xmpp-server")]
    public void Mode_defaultsFollowRfc6120AndXep0368(XmppMode mode, int port, string ns, string alpn)
    {
        Assert.Equal(port, mode.DefaultPort());
        Assert.Equal(ns, mode.ContentNamespace());
        Assert.Equal(alpn, mode.AlpnProtocol());
    }
}
