namespace XmppScanCluster.Coordinator.Store.Postgres;

/// <summary>Planning's discovery results, kept for the nodes of other processes (issue 14: each target resolved once).</summary>
public sealed partial class PostgresCensusStore
{
    public Task KeepDiscoveryAsync(Guid censusId, IReadOnlyList<PlannedDiscoveryRow> rows, CancellationToken ct = default)
    {
        foreach (var row in rows)
        {
            StoreRules.Validate(row);
        }

        if (rows.Count == 0)
        {
            return Task.CompletedTask;
        }

        // One statement for the whole plan. A row repeated in the input keeps its last value (ON CONFLICT cannot touch a
        // row twice in one statement).
        var unique = rows.GroupBy(r => (r.TargetId, r.Mode)).Select(g => g.Last()).ToList();
        return RunAsync(async (c, tx) =>
        {
            // Every target must be the census's: a row for another census's target would be found under the wrong census.
            var ids = unique.Select(r => r.TargetId).Distinct().ToArray();
            var known = Convert.ToInt32(await c.ScalarAsync(tx, "SELECT count(*) FROM target WHERE census_id = @c AND target_id = ANY(@ids)",
                ct, ("c", censusId), ("ids", ids)));
            if (known != ids.Length)
            {
                throw new ArgumentException($"{ids.Length - known} of the targets are not in census {censusId}");
            }

            await c.ExecAsync(tx, """
                INSERT INTO planned_discovery (target_id, mode, valid_until, result)
                SELECT * FROM unnest(@t::uuid[], @m::text[], @v::timestamptz[], @r::text[])
                ON CONFLICT (target_id, mode) DO UPDATE SET valid_until = excluded.valid_until, result = excluded.result
                """, ct, ("t", unique.Select(r => r.TargetId).ToArray()), ("m", unique.Select(r => r.Mode).ToArray()),
                ("v", unique.Select(r => r.ValidUntil.UtcDateTime).ToArray()), ("r", unique.Select(r => r.Result).ToArray()));
            return 0;
        }, ct);
    }

    public Task<PlannedDiscoveryRow?> FindDiscoveryAsync(Guid censusId, string domain, string mode, CancellationToken ct = default) =>
        RunAsync(async (c, tx) => (await c.ListAsync(tx, """
            SELECT d.target_id, d.mode, d.result, d.valid_until FROM planned_discovery d JOIN target t ON t.target_id = d.target_id
            WHERE t.census_id = @c AND t.domain = @d AND d.mode = @m
            """, r => new PlannedDiscoveryRow(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetInstant(3)), ct,
            ("c", censusId), ("d", StoreRules.NormalizeDomain(domain)), ("m", mode))).FirstOrDefault(), ct);
}
