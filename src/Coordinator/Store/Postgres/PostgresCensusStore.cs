using XmppScanCluster.ScanNode.Actors.Persistence;
using System.Data;
using Npgsql;

namespace XmppScanCluster.Coordinator.Store.Postgres;

/// <summary>
/// The cluster engine. Every call is one transaction on a pooled connection; a transaction that fails with
/// a transient error (the server restarted, the connection broke) is run again on a fresh connection with
/// back-off, after the pool is cleared of connections to the old server. The census events are Akka.Persistence.Sql's
/// tables in the same database (<see cref="Events"/>).
/// </summary>
public sealed partial class PostgresCensusStore : ICensusStore
{
    private const int MaxAttempts = 12;

    // Advisory lock keys (transaction-scoped, per database).
    private const long MigrationLock = 0x786d70707363616e; // "xmppscan"

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;

    private readonly Lazy<CensusEventLog> _events;

    private PostgresCensusStore(string connectionString, NpgsqlDataSource dataSource, TimeProvider time)
    {
        _dataSource = dataSource;
        _time = time;
        Location = new StoreLocation("postgres", connectionString);
        _events = new(() => CensusEventLog.Open(Location.Engine, Location.Target));
    }

    public string Engine => "postgres";

    public StoreLocation Location { get; }

    public CensusEventLog Events => _events.Value;

    /// <summary>Connects with a Npgsql connection string and applies the migrations the database lacks.</summary>
    public static async Task<PostgresCensusStore> OpenAsync(string connectionString, TimeProvider? time = null,
        CancellationToken ct = default)
    {
        var store = new PostgresCensusStore(connectionString, new NpgsqlDataSourceBuilder(connectionString).Build(), time ?? TimeProvider.System);
        try
        {
            await store.MigrateAsync(ct);
            return store;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    /// <summary>Retries after transient failures seen (for tests and diagnostics).</summary>
    public int Retries => _retries;

    private int _retries;

    public async ValueTask DisposeAsync()
    {
        if (_events.IsValueCreated)
        {
            await _events.Value.DisposeAsync();
        }

        await _dataSource.DisposeAsync();
    }

    public async Task<int> GetSchemaVersionAsync(CancellationToken ct = default) =>
        Convert.ToInt32(await RunAsync((c, tx) => c.ScalarAsync(tx, "SELECT max(version) FROM schema_version", ct), ct));

    private Task MigrateAsync(CancellationToken ct) => RunAsync(async (c, tx) =>
    {
        // Two nodes starting at once: the second waits here, then finds everything applied.
        await c.ExecAsync(tx, "SELECT pg_advisory_xact_lock(@k)", ct, ("k", MigrationLock));
        await c.ExecAsync(tx, """
            CREATE TABLE IF NOT EXISTS schema_version (
                version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)
            """, ct);
        var applied = (await c.ListAsync(tx, "SELECT version FROM schema_version", r => r.GetInt32(0), ct)).ToHashSet();
        foreach (var migration in Migrations.For("Postgres").Where(m => !applied.Contains(m.Version)))
        {
            await c.ExecAsync(tx, migration.Sql, ct);
            await c.ExecAsync(tx, "INSERT INTO schema_version (version, name, applied_at) VALUES (@v, @n, @t)", ct,
                ("v", migration.Version), ("n", migration.Name), ("t", _time.GetUtcNow()));
        }

        return 0;
    }, ct);

    /// <summary>Runs <paramref name="work"/> in one transaction, again after transient failures.</summary>
    private async Task<T> RunAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(ct);
                await using var tx = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
                var result = await work(connection, tx);
                await tx.CommitAsync(ct);
                return result;
            }
            catch (Exception ex) when (attempt < MaxAttempts && !ct.IsCancellationRequested && PostgresCommands.IsTransient(ex))
            {
                Interlocked.Increment(ref _retries);
                // Idle pooled connections still point at the old server process: drop them all.
                _dataSource.Clear();
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 50 << Math.Min(attempt, 6))), ct);
            }
        }
    }
}
