using System.Data.Common;
using Akka.Configuration;
using Akka.Persistence.Sql;
using Akka.Persistence.Sql.Config;
using LinqToDB;
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
/// <c>SQLite.MS</c>), tags in the journal row (no <c>event_tag</c> table, see <see cref="HasTagTableJournal"/>), the
/// journal table made by <see cref="SqliteJournalSchema"/>. Not the census file itself: SQLite has one writer per file, and target actors append an event
/// batch per step while the node's loops write leases to the census file; two files give each its own writer and WAL,
/// so neither waits on the other's busy timeout. The events file is put in WAL mode and its connections run at
/// <c>synchronous=NORMAL</c> (<see cref="Connections"/>) so the projection reads while actors write, and a commit
/// costs no fsync.</item>
/// </list>
/// An actor system gets both halves: <see cref="For"/> in its configuration and <see cref="Connections"/> in its setup.
/// The cluster section (sharding's remembered entities and coordinator) points at <see cref="JournalPluginId"/> and
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
        var provider = ProviderName(engine);
        var (mapping, connection) = engine == "sqlite"
            ? ("sqlite", SqliteConnectionString(SqliteEventsPath(target)))
            : ("postgresql", target);
        // SQLite: every connection made from the options of Connections, so its open hook (synchronous=NORMAL) surely
        // runs; the plugin's default clones one linq2db connection, and whether a clone keeps the hook is not documented.
        var clone = engine == "sqlite" ? "off" : "on";
        var tagMode = engine == "sqlite" && !HasTagTableJournal(SqliteEventsPath(target)) ? "Csv" : "TagTable";
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
                  tag-write-mode = {{tagMode}}
                  # A batch's rows as parameters, not as literals in the statement's text: each payload otherwise went
                  # into the SQL as a hex literal (a 100-row insert was ~0.5 MB of text for SQLite to parse). Peak RSS
                  # at 512 in flight under a 128 MiB heap limit: 363 -> 340 MiB (bench/depth-session, issue 14).
                  prefer-parameters-on-multirow-insert = on
                  # SQLite: Connections made the table (SqliteJournalSchema), without two indexes no read uses.
                  auto-initialize = {{(engine == "sqlite" ? "off" : "on")}}
                  use-clone-connection = {{clone}}
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
                  use-clone-connection = {{clone}}
                }
              }
              query.journal.sql {
                connection-string = {{Quote(connection)}}
                provider-name = "{{provider}}"
                table-mapping = {{mapping}}
                tag-read-mode = {{tagMode}}
                use-clone-connection = {{clone}}
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

    /// <summary>
    /// The journal's, snapshot store's and read journal's connections (linq2db options, which Akka.Persistence.Sql takes
    /// from the actor system's setup); on SQLite first puts the events file in WAL mode (a property of the file, kept
    /// once set), so the projection's reads never block the actors' appends, and makes its journal table
    /// (<see cref="SqliteJournalSchema"/>; the journal's auto-initialize is off there).
    /// <para>Each SQLite connection then runs <c>PRAGMA synchronous=NORMAL</c> when it opens (the pragma belongs to the
    /// connection, not the file; SQLite's default is FULL). In WAL mode FULL syncs the WAL at every commit: one fsync per
    /// persisted step (strace of bench/census-runtime's journal part: 237 fsyncs for 200 one-event writes; 22 with NORMAL,
    /// none per commit). NORMAL syncs only at checkpoints. What that gives up: after a power
    /// loss or OS crash (not a killed process: its commits are in the OS's cache) the last commits before the crash may
    /// be missing, never a corrupt file (the WAL's checksums end replay at the last whole commit). For a census that
    /// means a target whose last step events were lost replays what remains and runs those steps again (a step
    /// rescanned, as after kill -9 mid-step). The census file (the store, also NORMAL) syncs on its own schedule, so a
    /// target it recorded done may lose its last events in such a crash; <c>census rescan</c> redoes it.</para>
    /// PostgreSQL: the same connection string and provider as the configuration (its durability is the server's).
    /// </summary>
    public static DataOptionsSetup Connections(string engine, string target)
    {
        if (engine != "sqlite")
        {
            return new DataOptionsSetup(new DataOptions().UseConnectionString(ProviderName(engine), target));
        }

        var connection = SqliteConnectionString(SqliteEventsPath(target));
        SQLitePCL.Batteries_V2.Init();
        using (var file = new SqliteConnection(connection))
        {
            file.Open();
            Pragma(file, "journal_mode=WAL");
            SqliteJournalSchema.Create(file);
        }

        return new DataOptionsSetup(new DataOptions().UseConnectionString(ProviderName(engine), connection)
            .UseAfterConnectionOpened(c => Pragma(c, "synchronous=NORMAL")));
    }

    /// <summary>
    /// Whether an existing events file keeps its tags in a tag table: an older build's. Tags on SQLite now live in the
    /// journal row (Akka.Persistence.Sql's Csv mode), because with a tag table the journal inserts its rows one by one
    /// to learn each row's ordering for the tag rows (linq2db#2960): three tags per event made the journal write the
    /// largest cost of a census (bench/depth-session, 10,000 endpoints, 256 in flight: 241 -> 302 endpoints per CPU s,
    /// issue 14). In the journal row a batch is one multi-row insert, and reading by census tag is a LIKE over the
    /// orderings after the reader's offset. The mode is a property of the file's schema (the journal table has a
    /// <c>tags</c> column or not), so a file made before keeps its tag table. PostgreSQL keeps the tag table: there
    /// Csv mode declares the column varchar(100), and census, region and node names together can be longer.
    /// </summary>
    private static bool HasTagTableJournal(string eventsPath)
    {
        if (!File.Exists(eventsPath))
        {
            return false;
        }

        SQLitePCL.Batteries_V2.Init();
        using var file = new SqliteConnection(SqliteConnectionString(eventsPath));
        file.Open();
        using var command = file.CreateCommand();
        command.CommandText = """
            SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'event_journal')
               AND NOT EXISTS (SELECT 1 FROM pragma_table_info('event_journal') WHERE name = 'tags');
            """;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 1;
    }

    private static void Pragma(DbConnection connection, string pragma)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA " + pragma + ";";
        command.ExecuteNonQuery();
    }

    private static string ProviderName(string engine) => engine switch
    {
        "sqlite" => LinqToDB.ProviderName.SQLiteMS,
        "postgres" => LinqToDB.ProviderName.PostgreSQL15,
        _ => throw new ArgumentException($"unknown store engine '{engine}'", nameof(engine)),
    };

    private static string SqliteConnectionString(string path) =>
        new SqliteConnectionStringBuilder { DataSource = path, DefaultTimeout = SqliteBusySeconds, Pooling = true }.ToString();

    /// <summary>A HOCON string literal.</summary>
    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
