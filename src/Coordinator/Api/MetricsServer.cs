using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using XmppScanCluster.ScanNode.Metrics;

namespace XmppScanCluster.Coordinator.Api;

/// <summary>
/// <c>GET /metrics</c>: the node's counters (<see cref="NodeMetrics"/>) as Prometheus text, for <c>xmppscan node
/// --metrics ADDRESS:PORT</c>. Read-only and without secrets, but loopback unless the operator names another address.
/// </summary>
public sealed class MetricsServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly PrometheusText _metrics;

    private MetricsServer(WebApplication app, PrometheusText metrics, string url)
    {
        _app = app;
        _metrics = metrics;
        Url = url;
    }

    /// <summary>The base URL, e.g. <c>http://127.0.0.1:9464</c> (port 0 binds an ephemeral one).</summary>
    public string Url { get; }

    public static async Task<MetricsServer> StartAsync(IPEndPoint listen, CancellationToken ct = default)
    {
        var metrics = new PrometheusText(NodeMetrics.MeterName);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(listen));
        var app = builder.Build();
        app.MapGet("/metrics", () => Results.Text(metrics.Render(), "text/plain; version=0.0.4; charset=utf-8"));
        await app.StartAsync(ct).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new MetricsServer(app, metrics, address.Replace("[::]", "[::1]", StringComparison.Ordinal));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _metrics.Dispose();
    }
}
