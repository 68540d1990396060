using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using XmppScanCluster.Shared.Events;

namespace XmppScanCluster.Coordinator.Store.Sqlite;

/// <summary>The event journal and the certificate table.</summary>
public sealed partial class SqliteCensusStore
{
    private const string EventColumns =
        "position, event_id, census_id, target_id, sequence, node_id, region, occurred_at, type, schema_version, payload";

    public Task<AppendResult> AppendAsync(IReadOnlyList<EventEnvelope> events, CancellationToken ct = default)
    {
        StoreRules.Validate(events);
        if (events.Count == 0)
        {
            return Task.FromResult(new AppendResult(0, 0));
        }

        return WriteAsync(async (c, tx) =>
        {
            var (appended, duplicates) = (0, 0);
            await using var insert = c.Command(tx, """
                INSERT INTO journal (event_id, census_id, target_id, sequence, node_id, region, occurred_at, type,
                                     schema_version, payload)
                VALUES ($id, $c, $t, $s, $node, $region, $at, $type, $v, $p)
                ON CONFLICT DO NOTHING
                """, ("$id", null), ("$c", null), ("$t", null), ("$s", null), ("$node", null), ("$region", null),
                ("$at", null), ("$type", null), ("$v", null), ("$p", null));
            foreach (var e in events)
            {
                SetAll(insert, ("$id", e.EventId.ToString("D")), ("$c", e.CensusId.ToString("D")),
                    ("$t", e.TargetId.ToString("D")), ("$s", e.Sequence), ("$node", e.NodeId), ("$region", e.Region),
                    ("$at", StoreRules.ToMicros(e.OccurredAt)), ("$type", e.Type), ("$v", e.SchemaVersion),
                    ("$p", e.Payload.GetRawText()));
                if (await insert.ExecuteNonQueryAsync(ct) == 1)
                {
                    appended++;
                    continue;
                }

                // Not inserted: a redelivery if the key holds the same content, otherwise a conflict.
                var same = await c.ListAsync(tx, """
                    SELECT type = $type AND schema_version = $v AND json(payload) = json($p)
                    FROM journal WHERE census_id = $c AND target_id = $t AND sequence = $s
                    """, r => r.GetBoolean(0), ct, ("$type", e.Type), ("$v", e.SchemaVersion),
                    ("$p", e.Payload.GetRawText()), ("$c", e.CensusId), ("$t", e.TargetId), ("$s", e.Sequence));
                if (same.Count == 0)
                {
                    throw new EventConflictException(e.CensusId, e.TargetId, e.Sequence,
                        $"event id {e.EventId} is stored under another key");
                }

                if (!same[0])
                {
                    throw new EventConflictException(e.CensusId, e.TargetId, e.Sequence,
                        "a different event is stored under this key");
                }

                duplicates++;
            }

            return new AppendResult(appended, duplicates);
        }, ct);
    }

    public Task<IReadOnlyList<EventEnvelope>> ReadTargetAsync(Guid censusId, Guid targetId, long afterSequence = 0,
        CancellationToken ct = default) =>
        ReadAsync<IReadOnlyList<EventEnvelope>>(async c => await c.ListAsync(null, $"""
            SELECT {EventColumns} FROM journal
            WHERE census_id = $c AND target_id = $t AND sequence > $after ORDER BY sequence
            """, r => ReadEvent(r).Event, ct, ("$c", censusId), ("$t", targetId), ("$after", afterSequence)), ct);

    public Task<IReadOnlyList<JournalEntry>> ReadJournalAsync(long afterPosition, int max, Guid? censusId = null,
        CancellationToken ct = default) =>
        ReadAsync<IReadOnlyList<JournalEntry>>(async c => await c.ListAsync(null, $"""
            SELECT {EventColumns} FROM journal
            WHERE position > $after AND ($c IS NULL OR census_id = $c) ORDER BY position LIMIT $max
            """, ReadEvent, ct, ("$after", afterPosition), ("$c", censusId), ("$max", max)), ct);

    private static JournalEntry ReadEvent(SqliteDataReader r)
    {
        using var payload = JsonDocument.Parse(r.GetString(10));
        return new JournalEntry(r.GetInt64(0), new EventEnvelope(r.GetGuidText(1), r.GetGuidText(2), r.GetGuidText(3),
            r.GetInt64(4), r.GetString(5), r.GetString(6), r.GetInstant(7), r.GetString(8), r.GetInt32(9),
            payload.RootElement.Clone()));
    }

    private static void SetAll(SqliteCommand command, params (string Name, object Value)[] values)
    {
        foreach (var (name, value) in values)
        {
            command.Parameters[name].Value = value;
        }
    }

    public Task<CertificatesStored> PutCertificatesAsync(IReadOnlyList<ReadOnlyMemory<byte>> ders, CancellationToken ct = default)
    {
        var hashes = ders.Select(d => SHA256.HashData(d.Span)).ToList();
        var now = _time.GetUtcNow();
        return WriteAsync(async (c, tx) =>
        {
            var added = 0;
            for (var i = 0; i < ders.Count; i++)
            {
                added += await c.ExecAsync(tx, """
                    INSERT INTO certs (sha256, der, first_seen_at) VALUES ($h, $der, $now) ON CONFLICT DO NOTHING
                    """, ct, ("$h", hashes[i]), ("$der", ders[i].ToArray()), ("$now", now));
            }

            return new CertificatesStored(hashes.Select(StoreRules.Hex).ToList(), added);
        }, ct);
    }

    public Task<byte[]?> GetCertificateAsync(string sha256Hex, CancellationToken ct = default)
    {
        var key = StoreRules.ParseSha256(sha256Hex);
        return ReadAsync(async c => await c.ScalarAsync(null, "SELECT der FROM certs WHERE sha256 = $h", ct, ("$h", key)) as byte[], ct);
    }
}
