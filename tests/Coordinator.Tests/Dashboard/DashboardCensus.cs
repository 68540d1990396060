using XmppScanCluster.Coordinator.Tests.Support;
using System.Net;
using XmppScanCluster.Coordinator.Api;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Coordinator.Tests.Store.Support;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.Coordinator.Tests.Dashboard;

/// <summary>
/// A census "live" (regions eu and us, ssllabs-2009r) in a SQLite store, scanned by node-eu and node-us, and
/// a real coordinator on 127.0.0.1 over it. Results are appended as a node writes them: <c>domain_scan_completed</c> and
/// <c>target_scan_completed</c> in the target's regional stream, then the target completed in the node's shard, so the
/// progress, the journal and the statistics all move. The store and the server share one clock the test can move.
/// </summary>
internal sealed class DashboardCensus : IAsyncDisposable
{
    public static readonly string[] Domains = ["a.example", "b.example", "c.example", "evil.example"];

    private readonly string _dir;
    private readonly Dictionary<(string Domain, string Region), (long ShardId, Guid TargetId)> _where = [];

    private DashboardCensus(string dir, ICensusStore store, FakeTime? time, CensusInfo census)
    {
        _dir = dir;
        Store = store;
        Time = time;
        Census = census;
    }

    public ICensusStore Store { get; }

    /// <summary>The shared clock; null when the census runs on the system clock (the browser test, which waits in real time).</summary>
    public FakeTime? Time { get; }

    public CensusInfo Census { get; }

    public CoordinatorServer Server { get; private set; } = null!;

    public DateTimeOffset Now => Time?.GetUtcNow() ?? DateTimeOffset.UtcNow;

    public static async Task<DashboardCensus> CreateAsync(string? token = null, bool fakeTime = true)
    {
        var dir = Directory.CreateTempSubdirectory("xmppscan-dashboard-").FullName;
        var time = fakeTime ? new FakeTime(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero)) : null;
        var store = await StoreFactory.OpenAsync("sqlite:" + Path.Combine(dir, "dashboard.db"), time);
        var census = await store.CreateCensusAsync(new CensusDefinition("live", "{}", "ssllabs-2009r", ["eu", "us"]));
        var added = await store.AddTargetsAsync(census.CensusId, Domains);
        await store.PlanShardsAsync(census.CensusId,
            [.. added.Added.Select((t, i) => new TargetEndpoints(t.TargetId, [IPAddress.Parse($"192.0.2.{i + 1}")]))], ShardKeyPolicy.PerAddress);
        var result = new DashboardCensus(dir, store, time, census);
        foreach (var region in census.Regions)
        {
            foreach (var shard in await store.ListOpenShardsAsync(region))
            {
                foreach (var target in await store.GetShardTargetsAsync(shard.ShardId))
                {
                    result._where[(target.Domain, region)] = (shard.ShardId, target.TargetId);
                }
            }
        }

        result.Server = await CoordinatorServer.StartAsync(store, new IPEndPoint(IPAddress.Loopback, 0), token, (TimeProvider?)time ?? TimeProvider.System);
        return result;
    }

    /// <summary>Stops the coordinator (the store stays): what a page sees when the coordinator goes away.</summary>
    public async Task StopServerAsync() => await Server.DisposeAsync();

    /// <summary>Starts the coordinator again on the same address and port.</summary>
    public async Task RestartServerAsync()
    {
        var url = new Uri(Server.Url);
        Server = await CoordinatorServer.StartAsync(Store, new IPEndPoint(IPAddress.Loopback, url.Port), null, (TimeProvider?)Time ?? TimeProvider.System);
    }

    /// <summary>Appends a node's result for <paramref name="report"/>'s domain in <paramref name="region"/>, stamped
    /// <paramref name="ago"/> before now, and marks the target done in that region.</summary>
    public async Task AppendAsync(DomainReport report, string region, TimeSpan ago = default)
    {
        var (shardId, targetId) = _where[(report.Domain, region)];
        var origin = new EventOrigin(Census.CensusId, TargetStreams.For(targetId, region), "node-" + region, region);
        var at = Now - ago;
        var sequence = (await Store.ReadTargetAsync(Census.CensusId, origin.TargetId)).Count;
        await Store.AppendAsync([
            EventTypeRegistry.Default.Create(new DomainScanCompleted(report), origin, sequence + 1, at),
            EventTypeRegistry.Default.Create(new TargetScanCompleted(report.Domain, report.Status, report.Failure?.Kind, report.Endpoints.Count),
                origin, sequence + 2, at),
        ]);
        Assert.True(await Store.CompleteTargetAsync(shardId, targetId, 0, TargetOutcome.Done));
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Store.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
