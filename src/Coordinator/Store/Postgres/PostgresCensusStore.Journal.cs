using System.Security.Cryptography;
using System.Text.Json;
using Npgsql;
using XmppScanCluster.Shared.Events;

namespace XmppScanCluster.Coordinator.Store.Postgres;

/// <summary>The event journal and the certificate table.</summary>
public sealed partial class PostgresCensusStore
{
    private const string EventColumns =
        "position, event_id, census_id, target_id, sequence, node_id, region, occurred_at, type, schema_version, payload::text";

    public Task<AppendResult> AppendAsync(IReadOnlyList<EventEnvelope> events, CancellationToken ct = default)
    {
        StoreRules.Validate(events);
        if (events.Count == 0)
        {
            return Task.FromResult(new AppendResult(0, 0));
        }

        var ids = events.Select(e => e.EventId).ToArray();
        var censuses = events.Select(e => e.CensusId).ToArray();
        var targets = events.Select(e => e.TargetId).ToArray();
        var sequences = events.Select(e => e.Sequence).ToArray();
        var types = events.Select(e => e.Type).ToArray();
        var versions = events.Select(e => e.SchemaVersion).ToArray();
        var payloads = events.Select(e => e.Payload.GetRawText()).ToArray();
        return RunAsync(async (c, tx) =>
        {
            // Serialise appends: a position is visible only after every smaller one is, so a journal reader
            // that keeps its last position never skips an event committed late.
            await c.ExecAsync(tx, "SELECT pg_advisory_xact_lock(@k)", ct, ("k", JournalLock));
            var appended = await c.ExecAsync(tx, """
                INSERT INTO journal (event_id, census_id, target_id, sequence, node_id, region, occurred_at, type,
                                     schema_version, payload)
                SELECT id, c, t, s, node, region, at, type, v, p::jsonb
                FROM unnest(@ids::uuid[], @c::uuid[], @t::uuid[], @s::bigint[], @node::text[], @region::text[],
                            @at::timestamptz[], @type::text[], @v::integer[], @p::text[])
                     WITH ORDINALITY AS x(id, c, t, s, node, region, at, type, v, p, n)
                ORDER BY n
                ON CONFLICT DO NOTHING
                """, ct, ("ids", ids), ("c", censuses), ("t", targets), ("s", sequences),
                ("node", events.Select(e => e.NodeId).ToArray()), ("region", events.Select(e => e.Region).ToArray()),
                ("at", events.Select(e => e.OccurredAt.UtcDateTime).ToArray()), ("type", types), ("v", versions),
                ("p", payloads));
            if (appended == events.Count)
            {
                return new AppendResult(appended, 0);
            }

            // Some were not inserted: each must be a redelivery (same key, same content; jsonb compares by value).
            var conflicts = await c.ListAsync(tx, """
                SELECT x.c, x.t, x.s, x.id, j.position IS NULL
                FROM unnest(@ids::uuid[], @c::uuid[], @t::uuid[], @s::bigint[], @type::text[], @v::integer[], @p::text[])
                     AS x(id, c, t, s, type, v, p)
                LEFT JOIN journal j ON j.census_id = x.c AND j.target_id = x.t AND j.sequence = x.s
                WHERE j.position IS NULL OR j.type <> x.type OR j.schema_version <> x.v OR j.payload <> x.p::jsonb
                LIMIT 1
                """, r => (r.GetGuid(0), r.GetGuid(1), r.GetInt64(2), r.GetGuid(3), r.GetBoolean(4)), ct,
                ("ids", ids), ("c", censuses), ("t", targets), ("s", sequences), ("type", types), ("v", versions),
                ("p", payloads));
            if (conflicts.Count > 0)
            {
                var (census, target, sequence, id, idElsewhere) = conflicts[0];
                throw new EventConflictException(census, target, sequence, idElsewhere
                    ? $"event id {id} is stored under another key"
                    : "a different event is stored under this key");
            }

            return new AppendResult(appended, events.Count - appended);
        }, ct);
    }

    public Task<IReadOnlyList<EventEnvelope>> ReadTargetAsync(Guid censusId, Guid targetId, long afterSequence = 0,
        CancellationToken ct = default) =>
        RunAsync<IReadOnlyList<EventEnvelope>>(async (c, tx) => await c.ListAsync(tx, $"""
            SELECT {EventColumns} FROM journal
            WHERE census_id = @c AND target_id = @t AND sequence > @after ORDER BY sequence
            """, r => ReadEvent(r).Event, ct, ("c", censusId), ("t", targetId), ("after", afterSequence)), ct);

    public Task<IReadOnlyList<JournalEntry>> ReadJournalAsync(long afterPosition, int max, Guid? censusId = null,
        CancellationToken ct = default) =>
        RunAsync<IReadOnlyList<JournalEntry>>(async (c, tx) => await c.ListAsync(tx, $"""
            SELECT {EventColumns} FROM journal
            WHERE position > @after AND (@c::uuid IS NULL OR census_id = @c::uuid) ORDER BY position LIMIT @max
            """, ReadEvent, ct, ("after", afterPosition), ("c", censusId), ("max", max)), ct);

    private static JournalEntry ReadEvent(NpgsqlDataReader r)
    {
        using var payload = JsonDocument.Parse(r.GetString(10));
        return new JournalEntry(r.GetInt64(0), new EventEnvelope(r.GetGuid(1), r.GetGuid(2), r.GetGuid(3), r.GetInt64(4),
            r.GetString(5), r.GetString(6), r.GetInstant(7), r.GetString(8), r.GetInt32(9), payload.RootElement.Clone()));
    }

    public Task<CertificatesStored> PutCertificatesAsync(IReadOnlyList<ReadOnlyMemory<byte>> ders, CancellationToken ct = default)
    {
        var hashes = ders.Select(d => SHA256.HashData(d.Span)).ToList();
        var now = _time.GetUtcNow();
        return RunAsync(async (c, tx) =>
        {
            var added = 0;
            for (var i = 0; i < ders.Count; i++)
            {
                added += await c.ExecAsync(tx, """
                    INSERT INTO certs (sha256, der, first_seen_at) VALUES (@h, @der, @now) ON CONFLICT DO NOTHING
                    """, ct, ("h", hashes[i]), ("der", ders[i].ToArray()), ("now", now));
            }

            return new CertificatesStored(hashes.Select(StoreRules.Hex).ToList(), added);
        }, ct);
    }

    public Task<byte[]?> GetCertificateAsync(string sha256Hex, CancellationToken ct = default)
    {
        var key = StoreRules.ParseSha256(sha256Hex);
        return RunAsync(async (c, tx) => await c.ScalarAsync(tx, "SELECT der FROM certs WHERE sha256 = @h", ct, ("h", key)) as byte[], ct);
    }
}
