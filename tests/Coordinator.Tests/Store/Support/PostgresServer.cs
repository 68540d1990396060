using Npgsql;
using XmppScanCluster.Coordinator.Tests.Support;

namespace XmppScanCluster.Coordinator.Tests.Store.Support;

/// <summary>
/// A throwaway PostgreSQL started by the project's own deploy/postgres/up.sh, on loopback only. Its state
/// dir and port are derived from the checkout, so two checkouts on one machine do not share a server. It
/// is stopped on dispose only if this fixture started it. Each test gets a database of its own.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private readonly Dictionary<string, string> _environment;
    private bool _startedHere;

    public PostgresServer() : this("tests", 0)
    {
    }

    private PostgresServer(string purpose, int portOffset)
    {
        var hash = (int)(StableHash(RepoPaths.Root) % 400);
        Port = PostgresPorts.Tests + hash * 2 + portOffset;
        Directory = $"/tmp/xmppscan-pg-{purpose}-{hash}";
        _environment = new() { ["XMPPSCAN_PG_DIR"] = Directory, ["XMPPSCAN_PG_PORT"] = Port.ToString() };
    }

    /// <summary>A second, separate server for tests that stop and start it (the restart test).</summary>
    public static PostgresServer ForRestarts() => new("restart", 1);

    public int Port { get; }

    public string Directory { get; }

    public string AdminConnectionString =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false;Timeout=5";

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Timeout=5";

    public Task InitializeAsync()
    {
        Up();
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        if (_startedHere)
        {
            Down(purge: false);
        }

        return Task.CompletedTask;
    }

    /// <summary>Runs up.sh; remembers whether it started the server.</summary>
    public void Up()
    {
        var result = ScriptRunner.RunOrFail(RepoPaths.Deploy("postgres", "up.sh"), _environment, TimeSpan.FromMinutes(5));
        _startedHere |= result.Output.TrimEnd().EndsWith("started", StringComparison.Ordinal)
            && !result.Output.TrimEnd().EndsWith("already running", StringComparison.Ordinal);
    }

    public void Down(bool purge) =>
        ScriptRunner.RunOrFail(RepoPaths.Deploy("postgres", "down.sh"), _environment, TimeSpan.FromMinutes(5),
            purge ? ["--purge"] : []);

    /// <summary>Creates an empty database for one test and returns its connection string.</summary>
    public async Task<(string Name, string ConnectionString)> CreateDatabaseAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return (name, ConnectionString(name));
    }

    public async Task DropDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    private static uint StableHash(string text)
    {
        var hash = 2166136261u; // FNV-1a: string.GetHashCode differs per process
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }
}

/// <summary>All PostgreSQL test classes share one server (started once) and run one class at a time.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
