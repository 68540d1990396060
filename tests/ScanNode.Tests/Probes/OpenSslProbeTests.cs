using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Tests.Support.Tls;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Tests.Probes;

/// <summary>Probes against a real <c>openssl s_server</c> on 127.0.0.1 (OpenSSL 3.0 of this machine).</summary>
public class OpenSslProbeTests
{
    private static readonly ScanLimits Limits = ScanLimits.Default with { ReadTimeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task Tls12Server_firstFlight_hasSuiteCertificateAndEcdheParams()
    {
        if (!OpenSslServer.IsAvailable) return;
        await using var server = await OpenSslServer.StartAsync("-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256:AES256-SHA");
        var probe = new HandshakeProbe(new LoopbackConnectionFactory(server.Port), Limits);

        var r = await probe.RunAsync(ClientHelloProfiles.Tls(TlsVersion.Tls12, [0xC02F, 0x0035], "localhost"), CancellationToken.None);

        Assert.Equal(HandshakeOutcome.ServerHello, r.Outcome);
        Assert.Null(r.Failure);
        Assert.Equal(0x0303, r.NegotiatedVersion);
        Assert.Equal((ushort)0xC02F, r.CipherSuite);
        Assert.Equal(server.CertificateDer, r.Certificates.Single().ToArray());
        Assert.Equal(ServerKeyExchangeKind.Ecdhe, r.ServerKeyExchange!.Kind);
        Assert.NotNull(r.ServerKeyExchange.NamedCurve);
        Assert.NotNull(r.ServerKeyExchange.SignatureScheme);
        Assert.True(r.SawServerHelloDone);
        Assert.True(r.ServerHello!.RenegotiationInfo is { IsEmpty: true });
        Assert.True(r.ServerHello.ExtendedMasterSecret);
        Assert.NotNull(r.ServerHelloRaw);
    }

    [Fact]
    public async Task Tls12OnlyServer_protocolsAndSuites_inServerOrder()
    {
        if (!OpenSslServer.IsAvailable) return;
        await using var server = await OpenSslServer.StartAsync(
            "-tls1_2", "-serverpref", "-cipher", "ECDHE-RSA-AES256-GCM-SHA384:AES128-SHA:ECDHE-RSA-AES128-GCM-SHA256");
        var probe = new HandshakeProbe(new LoopbackConnectionFactory(server.Port), Limits);

        var protocols = new ProtocolSupportProbe(probe);
        Assert.True((await protocols.TestAsync(TlsVersion.Tls12, "localhost", CancellationToken.None)).Supported);
        Assert.False((await protocols.TestAsync(TlsVersion.Tls13, "localhost", CancellationToken.None)).Supported);
        Assert.False((await protocols.TestAsync(TlsVersion.Tls11, "localhost", CancellationToken.None)).Supported);

        var suites = await new CipherSuiteEnumerationProbe(probe).RunAsync(TlsVersion.Tls12, "localhost", CancellationToken.None);
        Assert.Equal(SuitePreference.Server, suites.Preference);
        Assert.Equal([0xC030, 0x002F, 0xC02F], suites.Accepted.ToArray());
        Assert.Empty(suites.Errors);
    }

    [Fact]
    public async Task ServerWithoutServerPref_isClientOrder()
    {
        if (!OpenSslServer.IsAvailable) return;
        await using var server = await OpenSslServer.StartAsync("-tls1_2", "-cipher", "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256");
        var probe = new HandshakeProbe(new LoopbackConnectionFactory(server.Port), Limits);

        var suites = await new CipherSuiteEnumerationProbe(probe).RunAsync(TlsVersion.Tls12, "localhost", CancellationToken.None, [0xC02F, 0xC030, 0x002F]);
        Assert.Equal(SuitePreference.Client, suites.Preference);
        Assert.Equal([0xC02F, 0xC030], suites.Accepted.Order().ToArray());
    }

    [Fact]
    public async Task Tls13Server_negotiatesTls13_andAsksForRetryWhenKeyShareGroupIsWrong()
    {
        if (!OpenSslServer.IsAvailable) return;
        await using var server = await OpenSslServer.StartAsync("-tls1_3", "-groups", "X25519");
        var probe = new HandshakeProbe(new LoopbackConnectionFactory(server.Port), Limits);

        var r = await probe.RunAsync(ClientHelloProfiles.Tls13([0x1301, 0x1302, 0x1303], "localhost"), CancellationToken.None);
        Assert.Equal(HandshakeOutcome.ServerHello, r.Outcome);
        Assert.Equal(0x0304, r.NegotiatedVersion);
        Assert.Equal(NamedGroups.X25519, r.ServerHello!.KeyShareGroup);

        var hrr = await probe.RunAsync(
            ClientHelloProfiles.Tls13([0x1301], "localhost", [NamedGroups.Secp256r1]), CancellationToken.None);
        Assert.Equal(HandshakeOutcome.HelloRetryRequest, hrr.Outcome);
        Assert.Equal(NamedGroups.X25519, hrr.ServerHello!.KeyShareGroup);

        var suites = await new CipherSuiteEnumerationProbe(probe).RunAsync(TlsVersion.Tls13, "localhost", CancellationToken.None);
        Assert.Equal([0x1301, 0x1302, 0x1303], suites.Accepted.Order().ToArray());
    }
}
