using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Tests.Support.Tls;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;
using static XmppScanCluster.ScanNode.Tests.Probes.VulnerabilityProbeTestSupport;

namespace XmppScanCluster.ScanNode.Tests.Probes;

/// <summary>
/// Client-initiated renegotiation. Both verdicts come from real OpenSSL 3.0 servers: it refuses by default
/// (no_renegotiation) and accepts with <c>-client_renegotiation</c>. The fake server covers what goes wrong
/// before the session exists.
/// </summary>
public class ClientRenegotiationProbeTests
{
    [Fact]
    public async Task OpenSslDefault_refusesClientRenegotiation_withNoRenegotiationAlert()
    {
        await using var server = await StartDefaultOpenSslAsync();

        var r = await new ClientRenegotiationProbe(Factory(server), RealLimits).RunAsync(Tls12And13, CancellationToken.None);

        Assert.Equal(ProbeStatus.Completed, r.Status);
        Assert.Equal(ClientRenegotiation.Refused, r.Facts!.Outcome);
        Assert.Equal("no_renegotiation", r.Facts.Alert);
        Assert.True(r.Facts.SecureRenegotiation);
        Assert.Equal("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", r.Facts.CipherSuite);
        Assert.Equal(1, r.Connections);
    }

    [Fact]
    public async Task OpenSslWithClientRenegotiation_acceptsIt_overEcdhe()
    {
        await using var server = await OpenSslServer.StartAsync("-client_renegotiation");

        var r = await new ClientRenegotiationProbe(Factory(server), RealLimits).RunAsync(Tls12And13, CancellationToken.None);

        Assert.Equal(ProbeStatus.Completed, r.Status);
        Assert.Equal(ClientRenegotiation.Accepted, r.Facts!.Outcome);
        Assert.True(r.Facts.Accepted);
    }

    [Fact]
    public async Task OpenSslWithClientRenegotiation_acceptsIt_overStaticRsa()
    {
        await using var server = await OpenSslServer.StartAsync("-tls1_2", "-cipher", "AES128-GCM-SHA256", "-client_renegotiation");

        var r = await new ClientRenegotiationProbe(Factory(server), RealLimits).RunAsync(Tls12Only, CancellationToken.None);

        Assert.Equal(ClientRenegotiation.Accepted, r.Facts!.Outcome);
        Assert.Equal("TLS_RSA_WITH_AES_128_GCM_SHA256", r.Facts.CipherSuite);
    }

    [Fact]
    public async Task OpenSslRequestingClientCertificate_getsEmptyCertificate_andStillCompletes()
    {
        await using var server = await OpenSslServer.StartAsync("-verify", "1");

        var r = await new ClientRenegotiationProbe(Factory(server), RealLimits).RunAsync(Tls12And13, CancellationToken.None);

        Assert.Equal(ProbeStatus.Completed, r.Status);
        Assert.Equal(ClientRenegotiation.Refused, r.Facts!.Outcome);
    }

    [Fact]
    public async Task ServerWithoutGcmSuites_isSkipped_afterOneConnection()
    {
        await using var server = new FakeTlsServer().OnConnection(async c =>
        {
            await c.ExpectClientHelloAsync();
            await c.SendAsync(VulnerableServerFlights.Alert(0x0303, 40));
        });

        var r = await new SilenceClock().RunAsync(server, (f, limits) => new ClientRenegotiationProbe(f, limits).RunAsync(Tls12Only, CancellationToken.None));

        Assert.Equal(ProbeStatus.Skipped, r.Status);
        Assert.Equal(1, r.Connections);
        var hello = TestClientHelloParser.Parse(server.ReceivedHellos.Single());
        Assert.Equal(Tls12FullHandshake.Suites, hello.CipherSuites);
        Assert.DoesNotContain(hello.Extensions!, e => e.Type == 0x0017); // no extended_master_secret
    }

    [Fact]
    public async Task ServerFinishedThatDoesNotAuthenticate_isFailed_afterTheClientFlight()
    {
        var clientFlight = new TaskCompletionSource<List<byte>>();
        await using var server = new FakeTlsServer().OnConnection(async c =>
        {
            await c.ExpectClientHelloAsync();
            await c.SendAsync(EcdheFlightWithRealPoint());
            // Exactly the three records of the client's flight, then the answer at once: waiting for the client to go
            // quiet first cost the probe its read timeout on a loaded machine (a stress run: Timeout, not ProtocolError).
            clientFlight.SetResult([(await c.ExpectRecordAsync()).Type, (await c.ExpectRecordAsync()).Type, (await c.ExpectRecordAsync()).Type]);
            await c.SendAsync(
                Tls.Fixtures.Record(20, 0x0303, [1]),                               // ChangeCipherSpec
                Tls.Fixtures.Record(22, 0x0303, Tls.Fixtures.Repeat(0x5A, 40)));   // "Finished": 8 nonce + 16 + 16 tag, wrong key
            await c.StaySilentAsync();
        });

        // Nothing here waits for silence: the fake clock never moves, and the server's answer is awaited however slow the machine.
        var r = await new SilenceClock().RunAsync(server, (f, limits) => new ClientRenegotiationProbe(f, limits).RunAsync(Tls12Only, CancellationToken.None));

        Assert.Equal(ProbeStatus.Failed, r.Status);
        Assert.Equal(FailureKind.ProtocolError, r.Failure!.Kind);
        Assert.Contains("Finished", r.Failure.Message);
        // ClientKeyExchange (handshake), ChangeCipherSpec, encrypted Finished (handshake).
        Assert.Equal([22, 20, 22], await clientFlight.Task.WaitAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task RsaSuiteWithUnparsableCertificate_isFailed_beforeKeyExchange()
    {
        await using var server = new FakeTlsServer().OnConnection(async c =>
        {
            await c.ExpectClientHelloAsync();
            await c.SendAsync(VulnerableServerFlights.Flight(0x0303,
                WithSuite(VulnerableServerFlights.ServerHelloBody(0x0303, extensions: VulnerableServerFlights.RenegotiationInfoExtension), 0x009C)));
            await c.StaySilentAsync();
        });

        var r = await new SilenceClock().RunAsync(server, (f, limits) => new ClientRenegotiationProbe(f, limits).RunAsync(Tls12Only, CancellationToken.None));

        Assert.Equal(ProbeStatus.Failed, r.Status);
        Assert.Equal(FailureKind.ProtocolError, r.Failure!.Kind);
    }

    /// <summary>ServerHello (ECDHE_RSA_WITH_AES_128_GCM_SHA256), Certificate, a ServerKeyExchange with a valid
    /// P-256 point and a meaningless signature (the probe does not verify it), ServerHelloDone.</summary>
    private static byte[] EcdheFlightWithRealPoint()
    {
        using var ecdh = System.Security.Cryptography.ECDiffieHellman.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var q = ecdh.ExportParameters(false).Q;
        var ske = Tls.Fixtures.Concat(
            [0x03, 0x00, 0x17],                 // curve_type named_curve, secp256r1
            [0x41, 0x04], q.X!, q.Y!,           // point<1..2^8-1>: 65 bytes, uncompressed
            [0x04, 0x01],                       // SignatureAndHashAlgorithm rsa_pkcs1_sha256
            [0x00, 0x04, 0xDE, 0xAD, 0xBE, 0xEF]); // signature<0..2^16-1>
        var sh = WithSuite(VulnerableServerFlights.ServerHelloBody(0x0303, extensions: VulnerableServerFlights.RenegotiationInfoExtension), 0xC02F);
        return Tls.Fixtures.Record(22, 0x0303, Tls.Fixtures.Concat(
            Tls.Fixtures.Handshake(2, sh),
            Tls.Fixtures.Handshake(11, Tls.Fixtures.CertificateBody),
            Tls.Fixtures.Handshake(12, ske),
            Tls.Fixtures.Handshake(14, [])));
    }

    [Fact]
    public async Task Tls11OnlyServer_isSkipped_withoutConnecting()
    {
        var r = await new ClientRenegotiationProbe(new LoopbackConnectionFactory(1), FastLimits)
            .RunAsync(new VulnerabilityProbeContext(null, [TlsVersion.Tls10, TlsVersion.Tls11]), CancellationToken.None);

        Assert.Equal(ProbeStatus.Skipped, r.Status);
        Assert.Equal(0, r.Connections);
    }

    [Fact]
    public void Prf_matchesThePublishedTls12Sha256TestVector()
    {
        // The TLS 1.2 PRF (P_SHA256) vector circulated on the IETF TLS list: 16-byte secret, 16-byte seed, "test label".
        var secret = Convert.FromHexString("9bbe436ba940f017b17652849a71db35");
        var seed = Convert.FromHexString("a0ba9f936cda311827a6f796ffd5198c");
        var expected = Convert.FromHexString(
            "e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff70187347b66");

        Assert.Equal(expected, Tls12SessionKeys.Prf(secret, "test label", seed, expected.Length));
    }

    /// <summary>Replaces the cipher_suite of a ServerHello body built by <see cref="VulnerableServerFlights"/>.</summary>
    private static byte[] WithSuite(byte[] body, ushort suite)
    {
        var copy = (byte[])body.Clone();
        var at = 2 + 32 + 1 + copy[34];
        copy[at] = (byte)(suite >> 8);
        copy[at + 1] = (byte)suite;
        return copy;
    }
}
