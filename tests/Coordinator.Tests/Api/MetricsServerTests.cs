using System.Net;
using XmppScanCluster.Coordinator.Api;
using XmppScanCluster.ScanNode.Metrics;

namespace XmppScanCluster.Coordinator.Tests.Api;

public class MetricsServerTests
{
    [Fact]
    public async Task Metrics_servesTheNodeCountersAsPrometheusText()
    {
        await using var server = await MetricsServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0));
        NodeMetrics.ConnectionsBlocked.Add(1);
        using var http = new HttpClient();

        using var response = await http.GetAsync(server.Url + "/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE xmppscan_connections_blocked_total counter\n", body, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^xmppscan_connections_blocked_total [1-9][0-9]*$", body);
    }
}
