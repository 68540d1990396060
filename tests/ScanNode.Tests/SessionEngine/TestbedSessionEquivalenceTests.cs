using System.Net;
using System.Text.Json;
using XmppScanCluster.ScanNode.Transport;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Xmpp;
using XmppScanCluster.TestKit;

namespace XmppScanCluster.ScanNode.Tests.SessionEngine;

/// <summary>
/// Moving the session off SslStream must not change what a scan reports: on every endpoint of the real servers of the
/// shared testbed (Prosody and ejabberd, c2s and s2s, STARTTLS and direct TLS), the session on the engine and the session
/// on SslStream give the same version, suite, ALPN, chain as sent, client, failure and XMPP facts after TLS — and the
/// engine finishes every one of those sessions itself.
/// </summary>
public class TestbedSessionEquivalenceTests
{
    private static readonly XmppTlsSessionProbe Engine = new(ScanLimits.Default);
    private static readonly XmppTlsSessionProbe Platform = new(ScanLimits.Default, new XmppConnectorOptions { SessionOnSslStream = true });

    public static TheoryData<string> Domains()
    {
        var data = new TheoryData<string>();
        foreach (var d in Manifest().RootElement.GetProperty("domains").EnumerateArray())
        {
            data.Add(d.GetProperty("domain").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Domains))]
    public async Task EverySessionOfTheDomain_isTheSameOnTheEngine_andTheEngineFinishesIt(string domain)
    {
        foreach (var endpoint in Endpoints(domain))
        {
            var platform = await Platform.RunAsync(endpoint, CancellationToken.None);
            var engine = await Engine.RunAsync(endpoint, CancellationToken.None);

            Assert.True(platform.Protocol is not null, $"{endpoint}: SslStream finished no session ({platform.Failure})");
            Assert.True(engine.OnEngine, $"{endpoint}: the engine did not finish the session ({engine.Failure})");
            Assert.Equal((platform.Protocol, platform.CipherSuite, platform.NegotiatedAlpn, platform.Client, platform.Failure?.Kind),
                (engine.Protocol, engine.CipherSuite, engine.NegotiatedAlpn, engine.Client, engine.Failure?.Kind));
            Assert.Equal(platform.PresentedChain.Select(Convert.ToHexString), engine.PresentedChain.Select(Convert.ToHexString));
            Assert.Equal(Comparable(platform.Xmpp), Comparable(engine.Xmpp));
        }
    }

    /// <summary>The facts after TLS, lists as text (records compare lists by reference); the stream id differs per connection.</summary>
    private static string Comparable(XmppStreamFacts facts) => string.Join(" | ",
        Features(facts.PostTlsFeatures), facts.StreamError?.Condition, facts.StreamRestartAfterTlsWorked, facts.PeerCertificateRequired);

    private static string Features(XmppFeatures? f) => f is null ? "none"
        : $"{f.StartTls} [{string.Join(",", f.SaslMechanisms)}] [{string.Join(",", f.CompressionMethods)}] {f.Dialback} {f.Bind} [{string.Join(",", f.OtherFeatures)}]";

    private static IEnumerable<XmppEndpoint> Endpoints(string domain)
    {
        using var manifest = Manifest();
        var d = manifest.RootElement.GetProperty("domains").EnumerateArray().Single(x => x.GetProperty("domain").GetString() == domain);
        var address = IPAddress.Parse(d.GetProperty("endpoints")[0].GetProperty("address").GetString()!);
        Assert.True(IPAddress.IsLoopback(address), $"{domain}: {address} is not loopback");
        var ports = d.GetProperty("ports");
        (string Key, XmppMode Mode, TlsTransport Transport)[] kinds =
        [
            ("c2s_starttls", XmppMode.C2S, TlsTransport.StartTls), ("c2s_direct_tls", XmppMode.C2S, TlsTransport.DirectTls),
            ("s2s_starttls", XmppMode.S2S, TlsTransport.StartTls), ("s2s_direct_tls", XmppMode.S2S, TlsTransport.DirectTls),
        ];
        var endpoints = new List<XmppEndpoint>();
        foreach (var (key, mode, transport) in kinds)
        {
            endpoints.Add(new XmppEndpoint(domain, mode, transport, domain, address, ports.GetProperty(key).GetInt32(), 0, 0, EndpointSource.Explicit));
        }

        return endpoints;
    }

    private static JsonDocument Manifest() => JsonDocument.Parse(File.ReadAllText(SharedTestbed.EnsureUp()["TESTBED_MANIFEST"]));
}
