using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Coordinator.Store.Sqlite;

namespace XmppScanCluster.Coordinator.Tests.Store;

/// <summary>The store contract on SQLite: a new database file per test.</summary>
public sealed class SqliteCensusStoreTests : CensusStoreContract
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "xmppscan-store-" + Guid.NewGuid().ToString("N"));

    protected override string MigrationFolder => "Sqlite";

    protected override Task CreateDatabaseAsync()
    {
        Directory.CreateDirectory(_directory);
        return Task.CompletedTask;
    }

    protected override async Task<ICensusStore> OpenStoreAsync() =>
        await StoreFactory.OpenAsync("sqlite:" + Path.Combine(_directory, "census.db"), Time);

    protected override Task DropDatabaseAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    protected override async Task<string> CreateOlderDatabaseAsync(int version)
    {
        var path = Path.Combine(_directory, $"schema{version}.db");
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + path);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        // The table and rows SqliteCensusStore's migration step writes.
        command.CommandText = "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL);"
            + string.Concat(Migrations.For(MigrationFolder).Take(version).Select(m =>
                $"{m.Sql}\n;INSERT INTO schema_version VALUES ({m.Version}, '{m.Name}', 0);"));
        await command.ExecuteNonQueryAsync();
        return "sqlite:" + path;
    }

    [Fact]
    public async Task Database_isInWalMode()
    {
        Assert.IsType<SqliteCensusStore>(Store);
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + Path.Combine(_directory, "census.db"));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", await command.ExecuteScalarAsync());
    }
}
