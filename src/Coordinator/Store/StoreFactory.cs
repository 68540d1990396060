using Npgsql;
using XmppScanCluster.Coordinator.Store.Postgres;
using XmppScanCluster.Coordinator.Store.Sqlite;

namespace XmppScanCluster.Coordinator.Store;

/// <summary>Which engine a <c>--store</c> value names, and how to reach it.</summary>
/// <param name="Engine">"sqlite" or "postgres".</param>
/// <param name="Target">The SQLite file path, or a Npgsql connection string.</param>
public sealed record StoreLocation(string Engine, string Target);

/// <summary>
/// Opens a store from its <c>--store</c> value: <c>sqlite:PATH</c>, a bare file path (SQLite),
/// <c>postgres://user[:password]@host[:port]/database</c> (also <c>postgresql://</c>), or a Npgsql connection
/// string (<c>Host=…;Database=…</c>). Anything else is refused with a message that says what is accepted.
/// </summary>
public static class StoreFactory
{
    public const string Accepted =
        "use sqlite:PATH, a file path, postgres://user@host:port/database, or a Npgsql connection string (Host=…;Database=…)";

    public static async Task<ICensusStore> OpenAsync(string storeUri, TimeProvider? time = null, CancellationToken ct = default)
    {
        var location = Parse(storeUri);
        return location.Engine == "sqlite"
            ? await SqliteCensusStore.OpenAsync(location.Target, time, ct)
            : await PostgresCensusStore.OpenAsync(location.Target, time, ct);
    }

    /// <summary>Parses a <c>--store</c> value without touching any database.</summary>
    public static StoreLocation Parse(string storeUri)
    {
        var value = storeUri?.Trim() ?? "";
        if (value.Length == 0)
        {
            throw new ArgumentException($"empty store location: {Accepted}");
        }

        if (value.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            var path = value["sqlite:".Length..];
            if (path.StartsWith("//", StringComparison.Ordinal))
            {
                path = path[2..]; // sqlite:///tmp/x.db → /tmp/x.db
            }

            return path.Length > 0 ? new StoreLocation("sqlite", path) : throw new ArgumentException($"sqlite: needs a path: {Accepted}");
        }

        if (value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) ||
            value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return new StoreLocation("postgres", FromUrl(value));
        }

        var scheme = value.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0)
        {
            throw new ArgumentException($"unknown store scheme '{value[..scheme]}': {Accepted}");
        }

        if (value.Contains('=', StringComparison.Ordinal) && value.Contains("host", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(value);
                return string.IsNullOrEmpty(builder.Host)
                    ? throw new ArgumentException($"connection string without Host: {Accepted}")
                    : new StoreLocation("postgres", builder.ConnectionString);
            }
            catch (ArgumentException ex) when (ex.Message.Contains("keyword", StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"not a valid Npgsql connection string ({ex.Message}): {Accepted}");
            }
        }

        if (value.Contains('=', StringComparison.Ordinal) || value.Contains(';', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{value}' is neither a path nor a connection string: {Accepted}");
        }

        return new StoreLocation("sqlite", value);
    }

    private static string FromUrl(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException($"not a valid postgres URL '{value}': {Accepted}");
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw new ArgumentException($"postgres URL options are not supported ('{uri.Query}{uri.Fragment}'): use a Npgsql connection string");
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length == 0 || database.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"postgres URL needs exactly one database name: postgres://user@host:port/database");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host.Trim('[', ']'),
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            Database = database,
        };
        var userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0)
        {
            builder.Username = Uri.UnescapeDataString(userInfo[0]);
        }

        if (userInfo.Length == 2)
        {
            builder.Password = Uri.UnescapeDataString(userInfo[1]);
        }

        return builder.ConnectionString;
    }
}
