using Microsoft.Data.Sqlite;

namespace XmppScanCluster.ScanNode.Actors.Persistence;

/// <summary>
/// The journal table of a SQLite events file, made by the census rather than by Akka.Persistence.Sql's auto-initialize:
/// the plugin's table and columns (Csv tag mode: the tags in the row, <see cref="CensusPersistence"/>), its primary key
/// and its unique index on (persistence_id, sequence_nr), without the plugin's two other indexes, on <c>timestamp</c> and
/// on <c>sequence_nr</c> alone. No read of a census uses them: the census's tag queries and the read journal's sequence
/// go by ordering, replays and highest sequence numbers by (persistence_id, sequence_nr). Yet each one is another
/// B-tree page written to the WAL by every commit. On the depth-session benchmark (10,000 endpoints, 512 in flight,
/// issue 14) the census made 293,217 <c>pwrite64</c> and 390 <c>fsync</c> calls without them, against 498,547 and 667
/// with them (<c>perf stat</c> counts). A file made before keeps its indexes; nothing here drops anything.
/// </summary>
public static class SqliteJournalSchema
{
    /// <summary>Creates the journal table and its unique index if the file has no journal table yet.</summary>
    public static void Create(SqliteConnection file)
    {
        using var command = file.CreateCommand();
        // Column names and types as Akka.Persistence.Sql 1.5 declares them for table-mapping "sqlite", so the plugin
        // reads and writes this table as its own.
        command.CommandText = """
            CREATE TABLE IF NOT EXISTS [event_journal]
            (
              [ordering]       INTEGER        NOT NULL PRIMARY KEY AUTOINCREMENT,
              [timestamp]      INTEGER        NOT NULL,
              [is_deleted]     Bit            NOT NULL,
              [persistence_id] NVarChar(255)  NOT NULL,
              [sequence_nr]    INTEGER        NOT NULL,
              [payload]        VarBinary      NOT NULL,
              [tags]           NVarChar(100)      NULL,
              [manifest]       NVarChar(500)      NULL,
              [serializer_id]  INTEGER            NULL
            );
            CREATE UNIQUE INDEX IF NOT EXISTS event_journal_uq ON event_journal (persistence_id, sequence_nr);
            """;
        command.ExecuteNonQuery();
    }
}
