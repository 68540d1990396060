using XmppScanCluster.ScanNode.Actors.Persistence;
using Microsoft.Data.Sqlite;
using XmppScanCluster.Shared.Events;

namespace XmppScanCluster.Coordinator.Store.Sqlite;

/// <summary>
/// The embedded engine: one SQLite file in WAL mode (readers never block the writer). Writes are serialised
/// in-process by a semaphore and across processes by <c>BEGIN IMMEDIATE</c>, so the single writer is the lock
/// that PostgreSQL's <c>SKIP LOCKED</c> provides for the cluster.
/// </summary>
public sealed partial class SqliteCensusStore : ICensusStore
{
    private static readonly Lazy<bool> NativeInit = new(() =>
    {
        SQLitePCL.Batteries_V2.Init();
        return true;
    });

    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _writer = new(1, 1);

    private readonly Lazy<CensusEventLog> _events;

    private SqliteCensusStore(string path, string connectionString, TimeProvider time)
    {
        _connectionString = connectionString;
        _time = time;
        Location = new StoreLocation("sqlite", path);
        _events = new(() => CensusEventLog.Open(Location.Engine, Location.Target));
    }

    public string Engine => "sqlite";

    public StoreLocation Location { get; }

    public CensusEventLog Events => _events.Value;

    /// <summary>Opens (creating if needed) the database file and applies the migrations it lacks.</summary>
    public static async Task<SqliteCensusStore> OpenAsync(string path, TimeProvider? time = null, CancellationToken ct = default)
    {
        _ = NativeInit.Value;
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = 30,
        };
        var store = new SqliteCensusStore(full, builder.ToString(), time ?? TimeProvider.System);
        await store.MigrateAsync(ct);
        return store;
    }

    public async Task<int> GetSchemaVersionAsync(CancellationToken ct = default) =>
        await ReadAsync(async c => Convert.ToInt32(await c.ScalarAsync(null, "SELECT max(version) FROM schema_version", ct)), ct);

    private async Task MigrateAsync(CancellationToken ct)
    {
        await using (var connection = await OpenConnectionAsync(ct))
        {
            // WAL is a property of the file: set once, kept by every later connection.
            await connection.ExecAsync(null, "PRAGMA journal_mode=WAL", ct);
        }

        await WriteAsync(async (c, tx) =>
        {
            await c.ExecAsync(tx, """
                CREATE TABLE IF NOT EXISTS schema_version (
                    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)
                """, ct);
            var applied = (await c.ListAsync(tx, "SELECT version FROM schema_version", r => r.GetInt32(0), ct)).ToHashSet();
            foreach (var migration in Migrations.For("Sqlite").Where(m => !applied.Contains(m.Version)))
            {
                await c.ExecAsync(tx, migration.Sql, ct);
                await c.ExecAsync(tx, "INSERT INTO schema_version (version, name, applied_at) VALUES ($v, $n, $t)", ct,
                    ("$v", migration.Version), ("$n", migration.Name), ("$t", _time.GetUtcNow()));
            }

            return 0;
        }, ct);
    }

    private async Task<SqliteConnection> OpenConnectionAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        // WAL's recommended level: commits no longer wait for fsync; a power cut can lose the last commits, never
        // corrupt the file. Lost events are rescanned: a target without target_scan_completed is scanned again.
        await connection.ExecAsync(null, "PRAGMA synchronous=NORMAL", ct);
        return connection;
    }

    /// <summary>One write transaction at a time: in-process semaphore, then <c>BEGIN IMMEDIATE</c>.</summary>
    private async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken ct)
    {
        await _writer.WaitAsync(ct);
        try
        {
            await using var connection = await OpenConnectionAsync(ct);
            await using var tx = connection.BeginTransaction(deferred: false);
            var result = await work(connection, tx);
            await tx.CommitAsync(ct);
            return result;
        }
        finally
        {
            _writer.Release();
        }
    }

    private async Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken ct)
    {
        await using var connection = await OpenConnectionAsync(ct);
        return await work(connection);
    }

    public async ValueTask DisposeAsync()
    {
        if (_events.IsValueCreated)
        {
            await _events.Value.DisposeAsync();
        }

        using (var connection = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        _writer.Dispose();
    }

    // ---- census ----

    public Task<CensusInfo> CreateCensusAsync(CensusDefinition definition, CancellationToken ct = default)
    {
        StoreRules.Validate(definition);
        var id = Guid.NewGuid();
        var now = _time.GetUtcNow();
        return WriteAsync(async (c, tx) =>
        {
            if (await c.ScalarAsync(tx, "SELECT 1 FROM census WHERE name = $n", ct, ("$n", definition.Name)) is not null)
            {
                throw new CensusExistsException(definition.Name);
            }

            await c.ExecAsync(tx, """
                INSERT INTO census (census_id, name, settings, grading_policy, state, created_at, updated_at)
                VALUES ($id, $name, $settings, $policy, 'running', $now, $now)
                """, ct, ("$id", id), ("$name", definition.Name), ("$settings", definition.SettingsJson),
                ("$policy", definition.GradingPolicy), ("$now", now));
            foreach (var region in definition.Regions.Distinct())
            {
                await c.ExecAsync(tx, "INSERT INTO census_region (census_id, region) VALUES ($id, $r)", ct,
                    ("$id", id), ("$r", region));
            }

            return (await LoadCensusAsync(c, tx, "census_id = $k", id, ct))!;
        }, ct);
    }

    public Task<CensusInfo?> GetCensusAsync(Guid censusId, CancellationToken ct = default) =>
        ReadAsync(c => LoadCensusAsync(c, null, "census_id = $k", censusId, ct), ct);

    public Task<CensusInfo?> FindCensusAsync(string name, CancellationToken ct = default) =>
        ReadAsync(c => LoadCensusAsync(c, null, "name = $k", name, ct), ct);

    private static async Task<CensusInfo?> LoadCensusAsync(SqliteConnection c, SqliteTransaction? tx, string where,
        object key, CancellationToken ct)
    {
        var rows = await c.ListAsync(tx,
            $"SELECT census_id, name, settings, grading_policy, state, created_at FROM census WHERE {where}",
            r => new CensusInfo(r.GetGuidText(0), r.GetString(1), r.GetString(2), r.GetString(3), [],
                CensusStates.Parse(r.GetString(4)), r.GetInstant(5)), ct, ("$k", key));
        if (rows.Count == 0)
        {
            return null;
        }

        var regions = await c.ListAsync(tx, "SELECT region FROM census_region WHERE census_id = $id ORDER BY region",
            r => r.GetString(0), ct, ("$id", rows[0].CensusId));
        return rows[0] with { Regions = regions };
    }

    public Task<CensusState> SetCensusStateAsync(Guid censusId, CensusState state, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            var current = await c.ScalarAsync(tx, "SELECT state FROM census WHERE census_id = $id", ct, ("$id", censusId))
                as string ?? throw new KeyNotFoundException($"no census {censusId}");
            var from = CensusStates.Parse(current);
            if (!CensusStates.CanMove(from, state))
            {
                throw new InvalidOperationException($"census {censusId} cannot go from {from.Name()} to {state.Name()}");
            }

            await c.ExecAsync(tx, "UPDATE census SET state = $s, updated_at = $now WHERE census_id = $id", ct,
                ("$s", state.Name()), ("$now", _time.GetUtcNow()), ("$id", censusId));
            return state;
        }, ct);
}
