namespace XmppScanCluster.Coordinator.Store.Sqlite;

/// <summary>Planning's discovery results, kept for the nodes of other processes (issue 14: each target resolved once).</summary>
public sealed partial class SqliteCensusStore
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

        return WriteAsync(async (c, tx) =>
        {
            // The target must be the census's: a row for another census's target would be found under the wrong census.
            await using var upsert = c.Command(tx, """
                INSERT INTO planned_discovery (target_id, mode, valid_until, result)
                SELECT $t, $m, $v, $r WHERE EXISTS (SELECT 1 FROM target WHERE target_id = $t AND census_id = $c)
                ON CONFLICT (target_id, mode) DO UPDATE SET valid_until = excluded.valid_until, result = excluded.result
                """, ("$t", ""), ("$m", ""), ("$v", 0L), ("$r", ""), ("$c", censusId.ToString("D")));
            foreach (var row in rows)
            {
                upsert.Parameters["$t"].Value = row.TargetId.ToString("D");
                upsert.Parameters["$m"].Value = row.Mode;
                upsert.Parameters["$v"].Value = StoreRules.ToMicros(row.ValidUntil);
                upsert.Parameters["$r"].Value = row.Result;
                if (await upsert.ExecuteNonQueryAsync(ct) != 1)
                {
                    throw new ArgumentException($"target {row.TargetId} is not in census {censusId}");
                }
            }

            return 0;
        }, ct);
    }

    public Task<PlannedDiscoveryRow?> FindDiscoveryAsync(Guid censusId, string domain, string mode, CancellationToken ct = default) =>
        ReadAsync(async c => (await c.ListAsync(null, """
            SELECT d.target_id, d.mode, d.result, d.valid_until FROM planned_discovery d JOIN target t ON t.target_id = d.target_id
            WHERE t.census_id = $c AND t.domain = $d AND d.mode = $m
            """, r => new PlannedDiscoveryRow(r.GetGuidText(0), r.GetString(1), r.GetString(2), r.GetInstant(3)), ct,
            ("$c", censusId), ("$d", StoreRules.NormalizeDomain(domain)), ("$m", mode))).FirstOrDefault(), ct);
}
