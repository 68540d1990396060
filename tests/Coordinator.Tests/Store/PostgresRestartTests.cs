using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Coordinator.Store.Postgres;
using XmppScanCluster.Coordinator.Tests.Store.Support;

namespace XmppScanCluster.Coordinator.Tests.Store;

/// <summary>
/// A PostgreSQL restart under a live store: pooled connections die, and the store must reconnect and retry
/// instead of failing the census. Uses its own server (deploy/postgres with another state dir and port), so
/// stopping it disturbs no other test.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresRestartTests : IAsyncLifetime
{
    private readonly PostgresServer _server = PostgresServer.ForRestarts();

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync()
    {
        _server.Down(purge: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task RestartBetweenCalls_nextCallsSucceed()
    {
        var (_, connectionString) = await _server.CreateDatabaseAsync();
        await using var store = (PostgresCensusStore)await StoreFactory.OpenAsync(connectionString);
        var census = await store.CreateCensusAsync(new CensusDefinition("restart-1", "{}", "p", ["eu"]));
        await store.AddTargetsAsync(census.CensusId, ["a.example"]);

        _server.Down(purge: false);
        _server.Up();

        Assert.Equal(CensusState.Paused, await store.SetCensusStateAsync(census.CensusId, CensusState.Paused));
        Assert.Single((await store.AddTargetsAsync(census.CensusId, ["b.example"])).Added);
        Assert.Equal(2, (await store.ListTargetsAsync(census.CensusId, null, 10)).Count);
        Assert.True(store.Retries > 0, "the dead pooled connection should have cost one retry");
    }
}
