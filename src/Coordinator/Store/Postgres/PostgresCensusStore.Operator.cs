namespace XmppScanCluster.Coordinator.Store.Postgres;

/// <summary>What the operator API needs: every census, the leases held, and rescan (a new scan generation for one target).</summary>
public sealed partial class PostgresCensusStore
{
    public Task<IReadOnlyList<CensusInfo>> ListCensusesAsync(CancellationToken ct = default) =>
        RunAsync<IReadOnlyList<CensusInfo>>(async (c, tx) =>
        {
            var ids = await c.ListAsync(tx, "SELECT census_id FROM census ORDER BY created_at, name", r => r.GetGuid(0), ct);
            var list = new List<CensusInfo>();
            foreach (var id in ids)
            {
                if (await LoadCensusAsync(c, tx, "census_id = @k", id, ct).ConfigureAwait(false) is { } census)
                {
                    list.Add(census);
                }
            }

            return list;
        }, ct);

    public Task<IReadOnlyList<ShardLease>> ListLeasesAsync(CancellationToken ct = default) =>
        RunAsync<IReadOnlyList<ShardLease>>(async (c, tx) => await c.ListAsync(tx, """
            SELECT shard_id, census_id, region, shard_key, lease_owner, lease_token, lease_expires_at
            FROM shard WHERE status = 'leased' ORDER BY lease_owner, shard_id
            """, r => new ShardLease(r.GetInt64(0), r.GetGuid(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt64(5),
                r.GetInstant(6)), ct).ConfigureAwait(false), ct);

    public Task<RescanResult> RescanTargetAsync(Guid censusId, string domain, CancellationToken ct = default) =>
        RunAsync(async (c, tx) =>
        {
            var state = await c.ScalarAsync(tx, "SELECT state FROM census WHERE census_id = @c FOR UPDATE", ct, ("c", censusId)) as string;
            var found = await c.ScalarAsync(tx, "SELECT target_id FROM target WHERE census_id = @c AND domain = @d FOR UPDATE", ct,
                ("c", censusId), ("d", domain.Trim().TrimEnd('.').ToLowerInvariant()));
            if (state is null || found is not Guid target)
            {
                return new RescanResult(RescanOutcome.NotFound, 0);
            }

            if (CensusStates.Parse(state) == CensusState.Cancelled)
            {
                return new RescanResult(RescanOutcome.CensusCancelled, 0);
            }

            if (await c.ScalarAsync(tx, """
                    SELECT 1 FROM shard s JOIN shard_target st ON st.shard_id = s.shard_id
                    WHERE st.target_id = @t AND s.status = 'leased' AND s.lease_expires_at > @now FOR UPDATE OF s
                    """, ct, ("t", target), ("now", _time.GetUtcNow())) is not null)
            {
                return new RescanResult(RescanOutcome.Busy, 0);
            }

            var generation = Convert.ToInt32(await c.ScalarAsync(tx,
                "UPDATE target SET scan_generation = scan_generation + 1 WHERE target_id = @t RETURNING scan_generation", ct, ("t", target)));
            await c.ExecAsync(tx, "UPDATE shard_target SET status = 'pending', completed_at = NULL WHERE target_id = @t", ct, ("t", target));
            await c.ExecAsync(tx, """
                UPDATE shard SET status = 'pending', lease_owner = NULL, lease_expires_at = NULL, completed_at = NULL
                WHERE shard_id IN (SELECT shard_id FROM shard_target WHERE target_id = @t) AND status <> 'pending'
                """, ct, ("t", target));
            await c.ExecAsync(tx, "UPDATE census SET state = 'running', updated_at = @now WHERE census_id = @c AND state = 'completed'", ct,
                ("c", censusId), ("now", _time.GetUtcNow()));
            return new RescanResult(RescanOutcome.Queued, generation);
        }, ct);
}
