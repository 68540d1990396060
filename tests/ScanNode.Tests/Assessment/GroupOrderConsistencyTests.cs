using XmppScanCluster.ScanNode.Assessment;
using XmppScanCluster.ScanNode.Tests.Probes;
using XmppScanCluster.ScanNode.Tests.Support.Tls;
using XmppScanCluster.ScanNode.Tests.Tls;
using XmppScanCluster.Shared.Results;
using XmppScanCluster.Shared.Tls;
using Xunit.Abstractions;

namespace XmppScanCluster.ScanNode.Tests.Assessment;

/// <summary>
/// Issue 16: the curve order, like the suite order, is a claim that the same hello always gets the same curve. A
/// server picking another curve for an identical hello is flagged inconsistent, not reported as a server order.
/// </summary>
public class GroupOrderConsistencyTests(ITestOutputHelper output)
{
    // Fake time (SilenceClock): every read of the assessment here is answered (a first flight up to ServerHelloDone,
    // an alert, a close or a reset) and the server declares no silence, so the clock never moves: a slow machine
    // cannot time out an answered read, and a read left waiting fails at the hang guard, not on a timer.

    private static readonly ushort[] Curves = [0x0017, 0x0018, 0x001D]; // secp256r1, secp384r1, x25519

    private static readonly ushort[] RsaSchemes = [0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601];

    [Fact]
    public async Task AnotherCurveForTheSameHello_isInconsistentNotServerOrder()
    {
        // TLS 1.2 with one ECDHE suite; of the curves offered it takes the lowest code on the first visit of that set,
        // the next one on the second: every removal step looks like a clean server order (lowest code first); only
        // the same hello sent again shows the answer change.
        var visits = new Dictionary<string, int>();
        await using var server = new FakeTlsServer { EveryConnection = c => AlternatingCurvesAsync(c, visits) };

        var (report, connections) = await new SilenceClock().RunAsync(server, async (factory, limits) =>
            (await new TlsAssessor(limits).AssessAsync(factory, "curves.test", CancellationToken.None), factory.Connections));
        output.WriteLine(AssessmentText.Describe(report));

        Assert.True(report.Protocols.Single(p => p.Protocol == "TLSv1.2").Supported);
        Assert.Equal("TLSv1.2", report.KeyExchange.EcdheProtocol);
        Assert.Equal(Curves, report.KeyExchange.EcdheCurves.Select(c => (ushort)c.Code).Order());
        Assert.Equal(NegotiationOrder.Inconsistent, report.KeyExchange.EcdheCurveOrder);
        Assert.Equal(connections, report.Connections.Total);
        Assert.True(report.Connections.Total >= report.Connections.Floor, $"{report.Connections.Total} vs floor {report.Connections.Floor}");
    }

    private static async Task AlternatingCurvesAsync(FakeTlsServer.Connection c, Dictionary<string, int> visits)
    {
        var hello = await c.ExpectClientHelloAsync();
        if ((hello[0] & 0x80) != 0)
        {
            await c.SendAsync(Fixtures.AlertRecord); // SSLv2: a plain refusal, so no control hello joins the count
            return;
        }

        var ch = TestClientHelloParser.Parse(hello);
        var tls13 = ch.Extensions?.Any(e => e.Type == 0x002B) == true;
        if (ch.ClientVersion != 0x0303 || tls13)
        {
            await c.SendAsync(Fixtures.Record(21, 0x0303, [0x02, 70])); // protocol_version: TLS 1.2 only
            return;
        }

        var groups = ch.Extensions?.FirstOrDefault(e => e.Type == 0x000A).Data ?? [];
        var offered = Enumerable.Range(0, Math.Max(0, groups.Length - 2) / 2).Select(i => (ushort)((groups[2 + 2 * i] << 8) | groups[3 + 2 * i]));
        var acceptable = offered.Where(Curves.Contains).Order().ToList();
        if (!ch.CipherSuites.Contains((ushort)0xC02F) || acceptable.Count == 0)
        {
            await c.SendAsync(Fixtures.AlertRecord); // handshake_failure
            return;
        }

        int visit;
        lock (visits)
        {
            var key = string.Join(",", acceptable);
            visit = visits[key] = visits.GetValueOrDefault(key) + 1;
        }

        var curve = acceptable[(visit - 1) % acceptable.Count];
        // The signature scheme: the client's first RSA one (a real server signs with one the client offered).
        var schemes = ch.Extensions?.FirstOrDefault(e => e.Type == 0x000D).Data ?? [];
        var scheme = Enumerable.Range(0, Math.Max(0, schemes.Length - 2) / 2).Select(i => (ushort)((schemes[2 + 2 * i] << 8) | schemes[3 + 2 * i]))
            .FirstOrDefault(RsaSchemes.Contains);
        if (scheme == 0)
        {
            await c.SendAsync(Fixtures.AlertRecord);
            return;
        }

        var point = curve == 0x001D ? Fixtures.Repeat(0x11, 32) : Fixtures.Concat([0x04], Fixtures.Repeat(0x11, 64));
        var sh = Fixtures.Handshake(2, Fixtures.Concat(
            [0x03, 0x03], Fixtures.PlainRandom, [0x00], [0xC0, 0x2F], [0x00],
            [0x00, 0x05], [0xFF, 0x01, 0x00, 0x01, 0x00])); // renegotiation_info, empty
        var ske = Fixtures.Handshake(12, Fixtures.Concat(
            [0x03, (byte)(curve >> 8), (byte)curve],       // named_curve
            [(byte)point.Length], point,                   // public point (x25519: 32 bytes; NIST: uncompressed)
            [(byte)(scheme >> 8), (byte)scheme], [0x00, 0x08], Fixtures.Repeat(0x99, 8))); // 8-byte "signature"
        await c.SendAsync(Fixtures.Record(22, 0x0303, Fixtures.Concat(sh, Fixtures.Handshake(11, Fixtures.CertificateBody), ske, Fixtures.Handshake(14, []))));
        await c.StaySilentAsync();
    }
}
