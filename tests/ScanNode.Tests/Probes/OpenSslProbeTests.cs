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
    public async Task Tls13Server_negotiatesTls13_andAsksForRetryWhenKeyShareGroupIsWrong()
    {
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
    }
}
