using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Coordinator.Store.Postgres;
using XmppScanCluster.Coordinator.Tests.Store.Support;

namespace XmppScanCluster.Coordinator.Tests.Store;

/// <summary>The store contract on a real PostgreSQL (deploy/postgres/up.sh): a new database per test.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresCensusStoreTests(PostgresServer server) : CensusStoreContract
{
    private string _database = "";
    private string _connectionString = "";

    protected override string MigrationFolder => "Postgres";

    protected override async Task CreateDatabaseAsync() =>
        (_database, _connectionString) = await server.CreateDatabaseAsync();

    protected override async Task<ICensusStore> OpenStoreAsync() => await StoreFactory.OpenAsync(_connectionString, Time);

    private readonly List<string> _older = [];

    protected override async Task DropDatabaseAsync()
    {
        foreach (var database in _older.Append(_database))
        {
            await server.DropDatabaseAsync(database);
        }
    }

    protected override async Task<string> CreateOlderDatabaseAsync(int version)
    {
        var (database, connectionString) = await server.CreateDatabaseAsync();
        _older.Add(database);
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        // The table and rows PostgresCensusStore's migration step writes.
        await using var command = new Npgsql.NpgsqlCommand(
            "CREATE TABLE schema_version (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL);"
            + string.Concat(Migrations.For(MigrationFolder).Take(version).Select(m =>
                $"{m.Sql}\n;INSERT INTO schema_version VALUES ({m.Version}, '{m.Name}', now());")), connection);
        await command.ExecuteNonQueryAsync();
        return connectionString;
    }

    [Fact]
    public async Task PostgresUrl_opensTheSameDatabase()
    {
        var url = $"postgres://postgres@127.0.0.1:{server.Port}/{_database}";
        await using var store = await StoreFactory.OpenAsync(url, Time);
        Assert.IsType<PostgresCensusStore>(store);
        var census = await NewCensusAsync();
        Assert.Equal(census.Name, (await store.GetCensusAsync(census.CensusId))!.Name);
    }

    [Fact]
    public async Task ConcurrentMigrations_fromManyNodes_applyOnce()
    {
        var (database, connectionString) = await server.CreateDatabaseAsync();
        try
        {
            var stores = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => StoreFactory.OpenAsync(connectionString, Time)));
            foreach (var store in stores)
            {
                Assert.Equal(Migrations.For("Postgres").Count, await store.GetSchemaVersionAsync());
                await store.DisposeAsync();
            }
        }
        finally
        {
            await server.DropDatabaseAsync(database);
        }
    }
}
