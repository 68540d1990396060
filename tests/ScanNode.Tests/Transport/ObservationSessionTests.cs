using XmppScanCluster.ScanNode.Metrics;
using XmppScanCluster.ScanNode.Tests.Support.Tls;
using XmppScanCluster.ScanNode.Tests.Support.Xmpp;
using XmppScanCluster.ScanNode.Transport;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.ScanNode.Tests.Transport;

/// <summary>
/// The session with a server the platform's default client refuses (OpenSSL 3 default: TLS 1.2+, forward-secret suites):
/// a real <c>openssl s_server</c> behind an XMPP STARTTLS front, retried with the observation client.
/// </summary>
public class ObservationSessionTests
{
    private static readonly XmppTlsSessionProbe Probe = new(TestLimits.Fast);

    [Theory]
    [InlineData("-tls1", "AES128-SHA", "TLSv1.0")]          // TLS 1.0 only, static RSA
    [InlineData("-tls1_2", "AES256-SHA", "TLSv1.2")]        // TLS 1.2 without forward secrecy
    [InlineData("-tls1_1", "DHE-RSA-AES128-SHA", "TLSv1.1")] // TLS 1.1 with DHE
    public async Task DefaultClientRefused_observationClientFinishesTheHandshake_bothRecorded(string version, string suite, string expected)
    {
        await using var server = await OpenSslServer.StartAsync(version, "-cipher", suite + ":@SECLEVEL=0");
        await using var relay = new StartTlsRelay(server.Port);

        using var metrics = new PrometheusText(NodeMetrics.MeterName);

        var result = await Probe.RunAsync(relay.Endpoint("example.test"), CancellationToken.None);

        Assert.True(CountOf(metrics, "observation") >= 1);
        Assert.False(result.OnEngine);
        Assert.True(result.ReachedHandshake);
        Assert.NotNull(result.SystemDefaultFailure);
        Assert.Equal(SessionClient.Observation, result.Client);
        Assert.Equal(expected, XmppScanCluster.ScanNode.Scanning.TlsNames.ProtocolName(result.Protocol!.Value));
        Assert.Equal([server.CertificateDer], result.PresentedChain);
        Assert.Equal(2, relay.Proceeded);
    }

    [Fact]
    public async Task ModernServer_defaultClientOnly_oneConnection()
    {
        await using var server = await OpenSslServer.StartAsync("-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256");
        await using var relay = new StartTlsRelay(server.Port);

        using var metrics = new PrometheusText(NodeMetrics.MeterName);

        var result = await Probe.RunAsync(relay.Endpoint("example.test"), CancellationToken.None);

        Assert.Equal(SessionClient.SystemDefault, result.Client);
        Assert.True(result.OnEngine);
        Assert.True(CountOf(metrics, "engine") >= 1); // other tests in this process count too
        Assert.Null(result.SystemDefaultFailure);
        Assert.Equal(1, relay.Proceeded);
    }

    /// <summary>xmppscan_tls_sessions_total{client="…"} from /metrics' text.</summary>
    private static long CountOf(PrometheusText metrics, string client) => metrics.Render().Split('\n')
        .Where(l => l.StartsWith($"xmppscan_tls_sessions_total{{client=\"{client}\"}} ", StringComparison.Ordinal))
        .Select(l => long.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture)).SingleOrDefault();
}
