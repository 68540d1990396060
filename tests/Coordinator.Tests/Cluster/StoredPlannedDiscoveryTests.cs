using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using XmppScanCluster.Coordinator.Census;
using XmppScanCluster.Coordinator.Cluster;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.ScanNode.Dns;
using XmppScanCluster.Shared.Dns;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.Coordinator.Tests.Cluster;

/// <summary>
/// A node of another process finds planning's discovery in the census store (issue 14) while the node's clock says it is
/// valid, on a virtual clock: nothing here waits for a TTL.
/// </summary>
public sealed class StoredPlannedDiscoveryTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("xmppscan-planned-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero));
    private ICensusStore _store = null!;
    private Guid _census;

    public async Task InitializeAsync()
    {
        _store = await StoreFactory.OpenAsync("sqlite:" + Path.Combine(_dir, "census.db"), _time);
        _census = (await _store.CreateCensusAsync(new CensusDefinition("planned", "{}", "xmpp-2026", ["eu"]))).CensusId;
        var target = Assert.Single((await _store.AddTargetsAsync(_census, ["a.example"])).Added);
        var result = new DiscoveryResult("a.example", XmppMode.C2S,
            [new XmppEndpoint("a.example", XmppMode.C2S, TlsTransport.StartTls, "a.example", IPAddress.Parse("192.0.2.1"), 5222, 0, 0, EndpointSource.AddressFallback)],
            [], false, DnssecStatus.Insecure, []);
        await _store.KeepDiscoveryAsync(_census, [new PlannedDiscoveryRow(target.TargetId, "c2s", DiscoveryCodec.Write(result)!, _time.GetUtcNow().AddSeconds(60))]);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task KeptResult_isUsedUntilItsEndOfValidity_onTheNodesClock_thenResolvedAgain()
    {
        var planned = new StoredPlannedDiscovery(_store, _census, _time, NullLogger.Instance);
        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(IPAddress.Parse("192.0.2.1"), Assert.Single((await planned.TryTakeAsync("a.example", XmppMode.C2S, default))!.Endpoints).Address);
        // Within its TTL a result may be used again (a target retried after an error); only a rescan drops it.
        Assert.NotNull(await planned.TryTakeAsync("a.example", XmppMode.C2S, default));
        Assert.Null(await planned.TryTakeAsync("a.example", XmppMode.S2S, default));
        Assert.Null(await new StoredPlannedDiscovery(_store, Guid.NewGuid(), _time, NullLogger.Instance).TryTakeAsync("a.example", XmppMode.C2S, default));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await planned.TryTakeAsync("a.example", XmppMode.C2S, default));
    }

    [Fact]
    public async Task ThisProcesssPlanner_isAskedFirst_andTheStoreAfterIt()
    {
        var local = new PlannedDiscovery(_census, _time);
        local.Add(new DiscoveryResult("a.example", XmppMode.C2S, [], [], true, DnssecStatus.Insecure, []) { ValidFor = TimeSpan.FromSeconds(60) });
        var planned = new StoredPlannedDiscovery(_store, _census, _time, NullLogger.Instance, local);

        Assert.True((await planned.TryTakeAsync("a.example", XmppMode.C2S, default))!.ServiceDisabled);
        Assert.False((await planned.TryTakeAsync("a.example", XmppMode.C2S, default))!.ServiceDisabled);
    }

    [Fact]
    public async Task StoreThatCannotAnswer_isNotTheTargetsFailure_theNodeResolves()
    {
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + Path.Combine(_dir, "census.db")))
        {
            await connection.OpenAsync();
            await using var drop = connection.CreateCommand();
            drop.CommandText = "DROP TABLE planned_discovery";
            await drop.ExecuteNonQueryAsync();
        }

        Assert.Null(await new StoredPlannedDiscovery(_store, _census, _time, NullLogger.Instance).TryTakeAsync("a.example", XmppMode.C2S, default));
    }
}
