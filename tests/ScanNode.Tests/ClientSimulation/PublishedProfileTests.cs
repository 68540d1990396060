using XmppScanCluster.ScanNode.ClientSimulation;
using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Tests.Support.Tls;
using XmppScanCluster.Shared.ClientSimulation;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Tests.ClientSimulation;

/// <summary>
/// Published profiles have no library here to compare with; a real OpenSSL server still checks that their
/// replayed hellos are well-formed (no decode_error) and that the answers follow from what they offer.
/// </summary>
public class PublishedProfileTests
{
    private static readonly ScanLimits Limits = ScanLimits.Default with { ReadTimeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task ModernServer_acceptsTheCurrentStacks_andRefusesTheOldOnes()
    {
        await using var server = await OpenSslServer.StartAsync(); // TLS 1.2 + 1.3, Debian's SECLEVEL=2
        var simulator = new ClientSimulator(new HandshakeProbe(new LoopbackConnectionFactory(server.Port), Limits));
        var published = ClientProfileCatalog.All.Where(p => p.Origin == ClientProfileOrigin.Published);

        var facts = (await simulator.RunAllAsync(new HelloRewriteOptions("chat.example.org"), CancellationToken.None, published))
            .ToDictionary(f => f.ProfileId);

        Assert.All(facts.Values, f => Assert.NotEqual("decode_error", f.Alert));
        Assert.All(facts.Values, f => Assert.NotEqual(SimulationOutcome.Inconclusive, f.Outcome));
        Assert.Equal(SimulationOutcome.HandshakeFailed, facts["android-2.3"].Outcome); // TLS 1.0 at most
        Assert.Equal(SimulationOutcome.HandshakeFailed, facts["openssl-0.9.8"].Outcome);
        Assert.Equal(TlsVersion.Tls12, facts["android-4.4"].Protocol);
        Assert.Equal(KeyExchange.Ecdhe, facts["android-4.4"].KeyExchange);
        Assert.Equal(TlsVersion.Tls12, facts["windows-10-schannel"].Protocol);
        Assert.Equal(TlsVersion.Tls13, facts["ios-12.2"].Protocol); // its recorded pre_shared_key was dropped
        Assert.Equal(TlsVersion.Tls13, facts["ios-18.4"].Protocol);
        Assert.Equal(TlsVersion.Tls13, facts["java-21"].Protocol);
    }

    [Fact]
    public async Task Tls10OnlyServer_isReachedByTheOldStacks()
    {
        await using var server = await OpenSslServer.StartAsync("-tls1", "-cipher", "ALL:@SECLEVEL=0");
        var simulator = new ClientSimulator(new HandshakeProbe(new LoopbackConnectionFactory(server.Port), Limits));

        var android = await simulator.RunAsync(ClientProfileCatalog.Find("android-2.3")!, new HelloRewriteOptions("chat.example.org"), CancellationToken.None);
        var openssl098 = await simulator.RunAsync(ClientProfileCatalog.Find("openssl-0.9.8")!, new HelloRewriteOptions("chat.example.org"), CancellationToken.None);

        Assert.Equal(SimulationOutcome.Negotiated, android.Outcome);
        Assert.Equal(TlsVersion.Tls10, android.Protocol);
        Assert.Equal(SimulationOutcome.Negotiated, openssl098.Outcome);
        Assert.Equal(KeyExchange.Dhe, openssl098.KeyExchange); // 0.9.8 offers DHE first and no ECDHE
        Assert.NotNull(openssl098.DhBits);
    }
}
