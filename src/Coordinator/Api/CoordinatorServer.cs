using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using XmppScanCluster.Coordinator.Dashboard;
using XmppScanCluster.Coordinator.Store;

namespace XmppScanCluster.Coordinator.Api;

/// <summary>
/// The coordinator's HTTP API and live dashboard on Kestrel: loopback by default; a token is required on any other
/// address (and whenever one is configured; see <see cref="AccessGuard"/>). Port 0 binds an ephemeral port; <see cref="Url"/> says which.
/// </summary>
public sealed class CoordinatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private CoordinatorServer(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The base URL the server listens on, e.g. <c>http://127.0.0.1:8470</c>.</summary>
    public string Url { get; }

    /// <summary>Starts the server; throws <see cref="ArgumentException"/> for a non-loopback address without a token.</summary>
    public static async Task<CoordinatorServer> StartAsync(ICensusStore store, IPEndPoint listen, string? token, TimeProvider? time = null,
        CancellationToken ct = default)
    {
        if (!IPAddress.IsLoopback(listen.Address) && string.IsNullOrEmpty(token))
        {
            throw new ArgumentException($"listening on {listen} (not loopback) needs a token (--token or XMPPSCAN_TOKEN)");
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(listen);
            k.Limits.MaxRequestBodySize = 64 * 1024;
        });
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));
        var app = builder.Build();
        if (!string.IsNullOrEmpty(token))
        {
            app.Use(new AccessGuard(token).InvokeAsync);
        }

        time ??= TimeProvider.System;
        var live = new LiveCensuses(store, time);
        ApiRoutes.Map(app, store, live, time);
        DashboardRoutes.Map(app, new DashboardFragments(store, live, time));
        await app.StartAsync(ct).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new CoordinatorServer(app, address.Replace("[::]", "[::1]", StringComparison.Ordinal));
    }

    /// <summary>Runs until <paramref name="ct"/> is cancelled or the host stops (SIGTERM: the host's console lifetime
    /// takes the signal, so it must end the wait too).</summary>
    public Task WaitAsync(CancellationToken ct)
    {
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var a = ct.Register(() => stopped.TrySetResult());
        var b = _app.Lifetime.ApplicationStopping.Register(() => stopped.TrySetResult());
        return stopped.Task.ContinueWith(_ => { a.Dispose(); b.Dispose(); }, TaskScheduler.Default);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
