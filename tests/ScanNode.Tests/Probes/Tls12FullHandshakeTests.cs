using XmppScanCluster.ScanNode.Probes;
using XmppScanCluster.ScanNode.Tests.Support.Tls;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;
using static XmppScanCluster.ScanNode.Tests.Probes.VulnerabilityProbeTestSupport;

namespace XmppScanCluster.ScanNode.Tests.Probes;

/// <summary>
/// The full TLS 1.2 handshake behind client renegotiation and session resumption, against real OpenSSL 3.0 servers
/// that accept one suite family each (issue 15: these probes used to offer only AES-128-GCM on P-256/P-384 and ended
/// "inconclusive" on every other server). A completed probe proves the handshake finished: the server's Finished
/// authenticated under keys this client derived.
/// </summary>
public class Tls12FullHandshakeTests
{
    [Theory]
    [InlineData("ECDHE-RSA-AES256-SHA", "X25519", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA")]
    [InlineData("ECDHE-RSA-AES128-SHA256", "P-521", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256")]
    [InlineData("ECDHE-RSA-AES256-GCM-SHA384", "P-384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384")]
    [InlineData("ECDHE-RSA-AES256-SHA384", "P-256", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384")]
    [InlineData("ECDHE-RSA-CHACHA20-POLY1305", "X25519", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256")]
    [InlineData("DHE-RSA-AES128-SHA", "X25519", "TLS_DHE_RSA_WITH_AES_128_CBC_SHA")]
    [InlineData("DHE-RSA-AES256-GCM-SHA384", "X25519", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384")]
    [InlineData("AES256-SHA256", "X25519", "TLS_RSA_WITH_AES_256_CBC_SHA256")]
    [InlineData("AES128-SHA", "X25519", "TLS_RSA_WITH_AES_128_CBC_SHA")]
    public async Task ServerWithOneSuite_renegotiationIsJudged_overThatSuite(string cipher, string groups, string expectedSuite)
    {
        await using var server = await OpenSslServer.StartAsync("-tls1_2", "-cipher", cipher + ":@SECLEVEL=0", "-groups", groups, "-client_renegotiation");

        var r = await new ClientRenegotiationProbe(Factory(server), RealLimits).RunAsync(Tls12Only, CancellationToken.None);

        Assert.Equal(ProbeStatus.Completed, r.Status);
        Assert.Equal(ClientRenegotiation.Accepted, r.Facts!.Outcome);
        Assert.Equal(expectedSuite, r.Facts.CipherSuite);
    }

    [Theory]
    [InlineData("DHE-RSA-AES256-SHA")]
    [InlineData("AES128-SHA256")]
    [InlineData("ECDHE-RSA-AES128-SHA")]
    public async Task ServerWithOneCbcSuite_resumesWithItsTicket(string cipher)
    {
        await using var server = await OpenSslServer.StartAsync("-tls1_2", "-cipher", cipher, "-groups", "X25519");

        var r = await new SessionResumptionProbe(Factory(server), RealLimits).RunAsync(Tls12Only, CancellationToken.None);

        Assert.Equal(ProbeStatus.Completed, r.Status);
        Assert.Null(r.Note);
        Assert.True(r.Facts!.TicketLength > 0);
        Assert.True(r.Facts.TicketResumed);
    }

    [Theory]
    [InlineData("DHE-RSA-AES128-GCM-SHA256")]
    [InlineData("AES256-SHA")]
    public async Task ServerWithOneSuiteAndNoTickets_resumesBySessionId(string cipher)
    {
        await using var server = await OpenSslServer.StartAsync("-tls1_2", "-cipher", cipher, "-no_ticket");

        var r = await new SessionResumptionProbe(Factory(server), RealLimits).RunAsync(Tls12Only, CancellationToken.None);

        Assert.Equal(ProbeStatus.Completed, r.Status);
        Assert.Null(r.Note);
        Assert.True(r.Facts!.SessionIdResumed);
        Assert.Equal(2, r.Connections);
    }

    [Fact]
    public async Task AssessmentFacts_pickTheOfferedSuitesAndCurves()
    {
        await using var server = await OpenSslServer.StartAsync("-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA:AES256-SHA", "-groups", "P-384:X25519");
        var context = Tls12Only with
        {
            Suites = [0x0005 /* RC4-SHA: not finishable, left out */, 0xC013, 0x0035],
            EcdheGroups = [NamedGroups.Secp384r1],
        };
        var connections = new RecordingFactory(server.Port);

        var r = await new ClientRenegotiationProbe(connections, RealLimits).RunAsync(context, CancellationToken.None);

        Assert.Equal(ProbeStatus.Completed, r.Status);
        Assert.Equal("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", r.Facts!.CipherSuite);
        var hello = TestClientHelloParser.Parse(connections.FirstRecords.Single());
        Assert.Equal([0xC013, 0x0035], hello.CipherSuites);
        Assert.Equal([0x00, 0x02, 0x00, 0x18], hello.Extensions!.Single(e => e.Type == 0x000A).Data); // supported_groups: secp384r1
    }

    [Fact]
    public async Task AssessmentWithOnlyUnfinishableSuites_isSkippedWithTheReason_withoutConnecting()
    {
        var context = Tls12Only with { Suites = [0x0005, 0x0004] }; // RC4-SHA, RC4-MD5

        var renegotiation = await new ClientRenegotiationProbe(new LoopbackConnectionFactory(1), FastLimits).RunAsync(context, CancellationToken.None);

        Assert.Equal(ProbeStatus.Skipped, renegotiation.Status);
        Assert.Equal(0, renegotiation.Connections);
        Assert.Contains("TLS_RSA_WITH_RC4_128_SHA", renegotiation.Note);
    }

    [Fact]
    public void FinishableSuites_coverEveryKeyExchangeAndCipherFamily()
    {
        var specs = Tls12FullHandshake.Suites.Select(c => Tls12CipherSpec.Find(c)!).ToList();

        Assert.Equal(
            [KeyExchange.Rsa, KeyExchange.Dhe, KeyExchange.Ecdhe],
            specs.Select(s => s.KeyExchange).Distinct().Order());
        Assert.Equal(
            [BulkCipher.TripleDesEdeCbc, BulkCipher.AesCbc, BulkCipher.AesGcm, BulkCipher.ChaCha20Poly1305],
            specs.Select(s => s.Cipher).Distinct().Order());
        Assert.DoesNotContain(Tls12FullHandshake.Suites, c => CipherSuiteRegistry.Find(c)!.Flags.HasFlag(SuiteFlags.Export));
    }
}
