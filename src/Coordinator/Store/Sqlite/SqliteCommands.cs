using Microsoft.Data.Sqlite;

namespace XmppScanCluster.Coordinator.Store.Sqlite;

/// <summary>Small helpers so the SQLite store reads like its SQL: a command with named parameters.</summary>
internal static class SqliteCommands
{
    public static SqliteCommand Command(this SqliteConnection connection, SqliteTransaction? tx, string sql,
        params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, Db(value));
        }

        return command;
    }

    public static async Task<int> ExecAsync(this SqliteConnection connection, SqliteTransaction? tx, string sql,
        CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.Command(tx, sql, parameters);
        return await command.ExecuteNonQueryAsync(ct);
    }

    public static async Task<object?> ScalarAsync(this SqliteConnection connection, SqliteTransaction? tx, string sql,
        CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.Command(tx, sql, parameters);
        var value = await command.ExecuteScalarAsync(ct);
        return value is DBNull ? null : value;
    }

    public static async Task<List<T>> ListAsync<T>(this SqliteConnection connection, SqliteTransaction? tx, string sql,
        Func<SqliteDataReader, T> map, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.Command(tx, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var list = new List<T>();
        while (await reader.ReadAsync(ct))
        {
            list.Add(map(reader));
        }

        return list;
    }

    /// <summary>Guids are stored as their 36-character text, instants as microseconds (see the migration).</summary>
    private static object Db(object? value) => value switch
    {
        null => DBNull.Value,
        Guid g => g.ToString("D"),
        DateTimeOffset t => StoreRules.ToMicros(t),
        _ => value,
    };

    public static Guid GetGuidText(this SqliteDataReader reader, int ordinal) => Guid.Parse(reader.GetString(ordinal));

    public static DateTimeOffset GetInstant(this SqliteDataReader reader, int ordinal) =>
        StoreRules.FromMicros(reader.GetInt64(ordinal));
}
