using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Coordinator.Store.Postgres;
using XmppScanCluster.Coordinator.Tests.Store.Support;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Model;

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

    private static EventEnvelope Event(Guid census, Guid target, long sequence) =>
        EventTypeRegistry.Default.Create(new StartTlsRequired(new EndpointRef("192.0.2.1", 5222, XmppMode.C2S, TlsTransport.StartTls)),
            new EventOrigin(census, target, "node-1", "eu"), sequence, DateTimeOffset.UtcNow);

    [Fact]
    public async Task RestartBetweenCalls_nextCallsSucceed()
    {
        var (_, connectionString) = await _server.CreateDatabaseAsync();
        await using var store = (PostgresCensusStore)await StoreFactory.OpenAsync(connectionString);
        var census = await store.CreateCensusAsync(new CensusDefinition("restart-1", "{}", "p", ["eu"]));
        await store.AppendAsync([Event(census.CensusId, Guid.Empty, 1)]);

        _server.Down(purge: false);
        _server.Up();

        Assert.Equal(CensusState.Paused, await store.SetCensusStateAsync(census.CensusId, CensusState.Paused));
        Assert.Equal(new AppendResult(1, 0), await store.AppendAsync([Event(census.CensusId, Guid.Empty, 2)]));
        Assert.Equal(2, (await store.ReadTargetAsync(census.CensusId, Guid.Empty)).Count);
        Assert.True(store.Retries > 0, "the dead pooled connection should have cost one retry");
    }

    [Fact]
    public async Task RestartDuringAppends_everyEventIsStoredExactlyOnce()
    {
        var (_, connectionString) = await _server.CreateDatabaseAsync();
        await using var store = (PostgresCensusStore)await StoreFactory.OpenAsync(connectionString);
        var (census, target) = (Guid.NewGuid(), Guid.NewGuid());

        // The appender stops half-way until the server is down, so the second half is appended across the outage
        // whatever the machine's speed: it cannot finish before the restart.
        var halfWay = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var serverDown = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var appender = Task.Run(async () =>
        {
            for (var i = 1; i <= 200; i++)
            {
                if (i == 101)
                {
                    halfWay.SetResult();
                    await serverDown.Task.WaitAsync(stop.Token);
                }

                await store.AppendAsync([Event(census, target, i)], stop.Token);
            }
        }, stop.Token);

        await halfWay.Task.WaitAsync(stop.Token);
        _server.Down(purge: false);
        serverDown.SetResult();
        await Task.Delay(300);
        _server.Up();
        await appender;

        var events = await store.ReadTargetAsync(census, target);
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.True(store.Retries > 0, "appends during the outage should have been retried");
    }
}
