using System.Net;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.Shared.Tests.Model;

public class XmppEndpointTests
{
    [Fact]
    public void Ipv6Endpoint_addressAndPortIsBracketed()
    {
        var endpoint = new XmppEndpoint(Domain: "example.test", Mode: XmppMode.C2S, Transport: TlsTransport.StartTls, Target: "xmpp.example.test",
            Address: IPAddress.IPv6Loopback, Port: 5222, Priority: 0, Weight: 5, Source: EndpointSource.Srv);
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
