using Akka.Configuration;
using Akka.Persistence.Sql;
using Microsoft.Data.Sqlite;

namespace XmppScanCluster.ScanNode.Actors.Persistence;

/// <summary>
/// The actor system's persistence section for a census store: Akka.Persistence.Sql as journal, snapshot store and
/// read journal (Persistence.Query), on the database the <c>--store</c> value names. Target events are tagged by
/// <see cref="CensusTagging"/> (census, region, node) for the projections that read them.
/// <list type="bullet">
/// <item>PostgreSQL: the census database itself (provider <c>PostgreSQL.15</c>), tables <c>event_journal</c>,
/// <c>event_tag</c>, <c>event_journal_metadata</c>, <c>snapshot_store</c>, created by Akka on first use.</item>
/// <item>SQLite: a sibling file <see cref="SqliteEventsPath"/> (<c>census.db</c> → <c>census.events.db</c>, provider
/// <c>SQLite.MS</c>). Not the census file itself: SQLite has one writer per file, and target actors append an event
/// batch per step while the node's loops write leases to the census file; two files give each its own writer and WAL,
/// so neither waits on the other's busy timeout. The events file is put in WAL mode (<see cref="Prepare"/>) so the
/// projection reads while actors write.</item>
/// </list>
/// The cluster section (sharding's remember-entities) points at <see cref="JournalPluginId"/> and
/// <see cref="SnapshotPluginId"/>; the projection reads through <see cref="QueryPluginId"/>.
/// </summary>
public static class CensusPersistence
{
    public const string JournalPluginId = "akka.persistence.journal.sql";

    public const string SnapshotPluginId = "akka.persistence.snapshot-store.sql";

    public const string QueryPluginId = "akka.persistence.query.journal.sql";

    /// <summary>Busy timeout of the events file's connections (seconds): one batch of a step is milliseconds, so
    /// waiting this long for the other writer means something is wrong.</summary>
    private const int SqliteBusySeconds = 30;

    /// <summary>The events file next to a SQLite census file.</summary>
    public static string SqliteEventsPath(string censusPath)
    {
        var full = Path.GetFullPath(censusPath);
        var extension = Path.GetExtension(full);
        var name = Path.GetFileNameWithoutExtension(full);
        return Path.Combine(Path.GetDirectoryName(full) ?? ".", name + ".events" + (extension.Length > 0 ? extension : ".db"));
    }

    /// <summary>
    /// The persistence configuration for a store: <paramref name="engine"/> "sqlite" with the census file's path, or
    /// "postgres" with a Npgsql connection string (what <c>StoreFactory.Parse</c> returns). Falls back to Akka.Persistence.Sql's
    /// defaults (without them the plugins do not start).
    /// </summary>
    public static Config For(string engine, string target)
    {
        var (provider, mapping, connection) = engine switch
        {
            "sqlite" => ("SQLite.MS", "sqlite", SqliteConnectionString(SqliteEventsPath(target))),
            "postgres" => ("PostgreSQL.15", "postgresql", target),
            _ => throw new ArgumentException($"unknown store engine '{engine}'", nameof(engine)),
        };
        var tables = $$"""
            {{mapping}} {
              journal.table-name = "event_journal"
              tag.table-name = "event_tag"
              metadata.table-name = "event_journal_metadata"
            }
            """;
        return ConfigurationFactory.ParseString($$"""
            akka.persistence {
              journal {
                plugin = "{{JournalPluginId}}"
                sql {
                  connection-string = {{Quote(connection)}}
                  provider-name = "{{provider}}"
                  table-mapping = {{mapping}}
                  tag-write-mode = TagTable
                  auto-initialize = on
                  {{tables}}
                  event-adapters.census-tagging = "{{typeof(CensusTagging).AssemblyQualifiedName}}"
                  event-adapter-bindings {
                    "{{typeof(CensusEvent).AssemblyQualifiedName}}" = census-tagging
                  }
                }
              }
              snapshot-store {
                plugin = "{{SnapshotPluginId}}"
                sql {
                  connection-string = {{Quote(connection)}}
                  provider-name = "{{provider}}"
                  table-mapping = {{mapping}}
                  auto-initialize = on
                }
              }
              query.journal.sql {
                connection-string = {{Quote(connection)}}
                provider-name = "{{provider}}"
                table-mapping = {{mapping}}
                tag-read-mode = TagTable
                {{tables}}
                # Live queries poll; 1 s by default, ~150-350 ms with these (issue 11, measured here).
                refresh-interval = 100ms
                journal-sequence-retrieval.query-delay = 100ms
                # Every query first asks for the highest ordering (1 s by default): on 2 loaded cores that timed out
                # and failed a dashboard request.
                journal-sequence-retrieval.ask-timeout = 30s
              }
            }
            """).WithFallback(SqlPersistence.DefaultConfiguration);
    }

    /// <summary>Before the actor system starts: the SQLite events file in WAL mode (a property of the file, kept once
    /// set), so the projection's reads never block the actors' appends. Nothing to do on PostgreSQL.</summary>
    public static void Prepare(string engine, string target)
    {
        if (engine != "sqlite")
        {
            return;
        }

        SQLitePCL.Batteries_V2.Init();
        using var connection = new SqliteConnection(SqliteConnectionString(SqliteEventsPath(target)));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        command.ExecuteNonQuery();
    }

    private static string SqliteConnectionString(string path) =>
        new SqliteConnectionStringBuilder { DataSource = path, DefaultTimeout = SqliteBusySeconds, Pooling = true }.ToString();

    /// <summary>A HOCON string literal.</summary>
    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
