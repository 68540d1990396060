using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Tests.Support.Tls;
using XmppScanCluster.ScanNode.Tests.Tls;
using XmppScanCluster.ScanNode.Tls;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Tls;

namespace XmppScanCluster.ScanNode.Tests.Probes;

/// <summary>Probes against the transcript fake server: behaviour no real server here produces.</summary>
public class FakeServerProbeTests
{
    /// <summary>A probe whose every read is answered: awaited however slow the machine (see <see cref="SilenceClock"/>).</summary>
    private static Task<HandshakeResult> AnsweredAsync(FakeTlsServer server, ClientHelloProfile hello) =>
        new SilenceClock().RunAsync(server, (f, limits) => new HandshakeProbe(f, limits).RunAsync(hello, CancellationToken.None));

    /// <summary>An SSLv3 RSA_EXPORT first flight: ServerHello, Certificate, 512-bit ServerKeyExchange, ServerHelloDone.</summary>
    private static byte[] Ssl3ExportFlight()
    {
        var sh = Fixtures.Handshake(2, Fixtures.Concat(
            [0x03, 0x00],                   // server_version SSLv3
            Fixtures.PlainRandom,           // random
            [0x00],                         // session_id: empty
            [0x00, 0x03],                   // cipher_suite TLS_RSA_EXPORT_WITH_RC4_40_MD5
            [0x00]));                       // compression null; SSLv3: no extensions
        var cert = Fixtures.Handshake(11, Fixtures.CertificateBody);
        var ske = Fixtures.Handshake(12, Fixtures.Concat(
            [0x00, 0x40, 0xC5], Fixtures.Repeat(0x01, 63), // rsa_modulus<1..2^16-1>: 64 bytes, top bit set → 512 bits
            [0x00, 0x03, 0x01, 0x00, 0x01],                // rsa_exponent: 65537
            [0x00, 0x04, 0xAB, 0xCD, 0xEF, 0x01]));        // signature (no algorithm field before TLS 1.2)
        var done = Fixtures.Handshake(14, []);
        return Fixtures.Record(22, 0x0300, Fixtures.Concat(sh, cert, ske, done));
    }

    [Fact]
    public async Task Ssl3ExportServer_sentByteByByte_givesSuiteCertificateAnd512BitKey()
    {
        await using var server = new FakeTlsServer().OnConnection(async c =>
        {
            await c.ExpectClientHelloAsync();
            await c.SendByteByByteAsync(Ssl3ExportFlight());
            await c.StaySilentAsync();
        });

        var r = await AnsweredAsync(server, ClientHelloProfiles.Ssl3([0x0003, 0x000A]));

        Assert.Equal(HandshakeOutcome.ServerHello, r.Outcome);
        Assert.Equal(0x0300, r.NegotiatedVersion);
        Assert.Equal((ushort)0x0003, r.CipherSuite);
        Assert.True(r.ServerHello!.Suite!.IsExport);
        Assert.Equal(2, r.Certificates.Length);
        Assert.Equal(ServerKeyExchangeKind.RsaExport, r.ServerKeyExchange!.Kind);
        Assert.Equal(512, r.ServerKeyExchange.ModulusBits);
        Assert.Null(r.ServerKeyExchange.SignatureScheme);
        Assert.True(r.SawServerHelloDone);
        Assert.Null(r.Failure);
        var hello = TestClientHelloParser.Parse(server.ReceivedHellos.Single());
        Assert.Equal(0x0300, hello.ClientVersion);
    }

    [Fact]
    public async Task FatalAlert_isRecorded_asAlertOutcome()
    {
        await using var server = new FakeTlsServer().OnConnection(async c =>
        {
            await c.ExpectClientHelloAsync();
            await c.SendAsync(Fixtures.AlertRecord);
        });

        var r = await AnsweredAsync(server, ClientHelloProfiles.Tls(TlsVersion.Tls12, [0x002F], "example.org"));
        Assert.Equal(HandshakeOutcome.Alert, r.Outcome);
        Assert.Equal(TlsAlertDescription.HandshakeFailure, r.Alert!.Description);
    }

    [Fact]
    public async Task SilentServer_timesOut()
    {
        // Silence decided on fake time: the clock moves only once the server holds the ClientHello.
        var clock = new SilenceClock();
        await using var server = new FakeTlsServer().OnConnection(async c =>
        {
            await c.ExpectClientHelloAsync();
            clock.Silent();
            await c.StaySilentAsync();
        });

        var r = await clock.RunAsync(server, (factory, limits) => new HandshakeProbe(factory, limits)
            .RunAsync(ClientHelloProfiles.Tls(TlsVersion.Tls12, [0x002F], null), CancellationToken.None));
        Assert.Equal(HandshakeOutcome.Failed, r.Outcome);
        Assert.Equal(FailureKind.Timeout, r.Failure!.Kind);
    }

    [Fact]
    public async Task ServerClosingAtOnce_isConnectionClosed()
    {
        await using var server = new FakeTlsServer().OnConnection(async c => await c.ExpectClientHelloAsync());

        var r = await AnsweredAsync(server, ClientHelloProfiles.Tls(TlsVersion.Tls12, [0x002F], null));
        Assert.Equal(FailureKind.ConnectionClosed, r.Failure!.Kind);
    }

    [Fact]
    public async Task XmlInsteadOfTls_isProtocolError()
    {
        await using var server = new FakeTlsServer().OnConnection(async c =>
        {
            await c.ExpectClientHelloAsync();
            await c.SendAsync("<stream:error><not-authorized/></stream:error>"u8.ToArray());
            await c.StaySilentAsync();
        });

        var r = await AnsweredAsync(server, ClientHelloProfiles.Tls(TlsVersion.Tls12, [0x002F], null));
        Assert.Equal(FailureKind.ProtocolError, r.Failure!.Kind);
    }

    [Fact]
    public async Task HelloRetryRequest_endsTheProbe_withSelectedGroup()
    {
        await using var server = new FakeTlsServer().OnConnection(async c =>
        {
            await c.ExpectClientHelloAsync();
            await c.SendAsync(Fixtures.Record(22, 0x0303, Fixtures.Handshake(2, Fixtures.HelloRetryRequestBody)));
            await c.StaySilentAsync();
        });

        var r = await AnsweredAsync(server, ClientHelloProfiles.Tls13([0x1301], null));
        Assert.Equal(HandshakeOutcome.HelloRetryRequest, r.Outcome);
        Assert.Equal(NamedGroups.Secp256r1, r.ServerHello!.KeyShareGroup);
        Assert.Equal(0x0304, r.NegotiatedVersion);
    }
}
