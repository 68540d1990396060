using System.Data.Common;
using Npgsql;
using XmppScanCluster.Coordinator.Store;

namespace XmppScanCluster.Coordinator.Cli;

/// <summary>
/// Opens the <c>--store</c> of a command so that every ordinary mistake is one line and exit code 2
/// (<see cref="UsageException"/>): a bad value, a SQLite file that does not exist (reading commands never create a
/// store: a typo would leave an empty database and a misleading "no census" hint), a PostgreSQL server that does
/// not answer (a short connect timeout instead of Npgsql's 15 s, and its message instead of an exception).
/// </summary>
public static class CliStore
{
    /// <summary>Seconds to wait for a PostgreSQL connection unless the connection string says otherwise.</summary>
    public const int ConnectTimeoutSeconds = 5;

    /// <param name="value">The <c>--store</c> value.</param>
    /// <param name="create">True only for <c>census</c>, the one command that starts a store.</param>
    /// <param name="ct">Cancels the connect.</param>
    public static async Task<ICensusStore> OpenAsync(string value, bool create, CancellationToken ct)
    {
        StoreLocation location;
        try
        {
            location = StoreFactory.Parse(value);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--store: {e.Message}");
        }

        var uri = value;
        var timeout = 0;
        if (location.Engine == "sqlite")
        {
            if (Directory.Exists(location.Target))
            {
                throw new UsageException($"--store {location.Target}: is a directory, not a store file");
            }

            if (!create && !File.Exists(location.Target))
            {
                throw new UsageException($"--store: no store at {Path.GetFullPath(location.Target)} (run xmppscan census first, or name the store with --store)");
            }

            if (create && Path.GetDirectoryName(Path.GetFullPath(location.Target)) is { } folder && !Directory.Exists(folder))
            {
                throw new UsageException($"--store {location.Target}: folder {folder} does not exist");
            }
        }
        else
        {
            var builder = new NpgsqlConnectionStringBuilder(location.Target);
            if (!value.Contains("timeout", StringComparison.OrdinalIgnoreCase))
            {
                builder.Timeout = ConnectTimeoutSeconds;
            }

            timeout = builder.Timeout;
            uri = builder.ConnectionString;
        }

        try
        {
            if (location.Engine == "postgres")
            {
                // One connection first: the store retries transient failures for many seconds (right for a node
                // whose database restarts), but a command typed by a person should say at once that nothing answers.
                await using var probe = NpgsqlDataSource.Create(uri);
                await using var connection = await probe.OpenConnectionAsync(ct).ConfigureAwait(false);
            }

            return await StoreFactory.OpenAsync(uri, ct: ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DbException or IOException or UnauthorizedAccessException or TimeoutException && !ct.IsCancellationRequested)
        {
            var silent = timeout > 0 && Chain(e).Any(x => x is TimeoutException);
            throw new UsageException($"--store {Describe(location)}: cannot open: "
                + (silent ? $"no answer within {timeout} s (is PostgreSQL running there?)" : Reason(e)));
        }
    }

    /// <summary>Where the store is, without the password a connection string may carry.</summary>
    public static string Describe(StoreLocation location)
    {
        if (location.Engine == "sqlite")
        {
            return location.Target;
        }

        var builder = new NpgsqlConnectionStringBuilder(location.Target);
        return $"postgres://{builder.Username}{(builder.Username is null ? "" : "@")}{builder.Host}:{builder.Port}/{builder.Database}";
    }

    /// <summary>The innermost message that says something ("Connection refused", "Timeout during connection attempt").</summary>
    private static string Reason(Exception e) => string.Join(": ", Chain(e).Select(x => x.Message.Split('\n')[0].Trim()).Distinct());

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            yield return x;
        }
    }
}
