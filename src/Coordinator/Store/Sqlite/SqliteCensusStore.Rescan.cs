using Microsoft.Data.Sqlite;

namespace XmppScanCluster.Coordinator.Store.Sqlite;

/// <summary>
/// Rescan: a new scan generation for one target, pending again in every region. While a live lease holds one of its
/// shards the node there may be writing the current generation's streams, so the request is remembered
/// (<c>target.rescan_requested</c>) and applied by <see cref="ApplyDeferredRescansAsync"/> once no live lease holds the
/// target: after the shard is completed or released, or at the next lease call after the lease expired.
/// </summary>
public sealed partial class SqliteCensusStore
{
    public Task<RescanResult> RescanTargetAsync(Guid censusId, string domain, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            var state = await c.ScalarAsync(tx, "SELECT state FROM census WHERE census_id = $c", ct, ("$c", censusId)) as string;
            var target = await c.ScalarAsync(tx, "SELECT target_id FROM target WHERE census_id = $c AND domain = $d", ct,
                ("$c", censusId), ("$d", domain.Trim().TrimEnd('.').ToLowerInvariant())) as string;
            if (state is null || target is null)
            {
                return new RescanResult(RescanOutcome.NotFound, 0);
            }

            if (CensusStates.Parse(state) == CensusState.Cancelled)
            {
                return new RescanResult(RescanOutcome.CensusCancelled, 0);
            }

            if (await c.ScalarAsync(tx, """
                    SELECT 1 FROM shard s JOIN shard_target st ON st.shard_id = s.shard_id
                    WHERE st.target_id = $t AND s.status = 'leased' AND s.lease_expires_at > $now
                    """, ct, ("$t", target), ("$now", _time.GetUtcNow())) is not null)
            {
                // Queued behind the lease: the generation it will run under is the next one.
                await c.ExecAsync(tx, "UPDATE target SET rescan_requested = 1 WHERE target_id = $t", ct, ("$t", target));
                var current = Convert.ToInt32(await c.ScalarAsync(tx, "SELECT scan_generation FROM target WHERE target_id = $t", ct, ("$t", target)));
                return new RescanResult(RescanOutcome.Queued, current + 1);
            }

            return new RescanResult(RescanOutcome.Queued, await RequeueAsync(c, tx, target, censusId, ct).ConfigureAwait(false));
        }, ct);

    /// <summary>Applies every remembered rescan whose target no live lease holds any more (inside the caller's write).</summary>
    private async Task ApplyDeferredRescansAsync(SqliteConnection c, SqliteTransaction tx, CancellationToken ct)
    {
        var waiting = await c.ListAsync(tx, """
            SELECT t.target_id, t.census_id, cs.state FROM target t JOIN census cs ON cs.census_id = t.census_id
            WHERE t.rescan_requested = 1
              AND NOT EXISTS (SELECT 1 FROM shard s JOIN shard_target st ON st.shard_id = s.shard_id
                              WHERE st.target_id = t.target_id AND s.status = 'leased' AND s.lease_expires_at > $now)
            """, r => (Target: r.GetString(0), Census: r.GetGuidText(1), State: r.GetString(2)), ct, ("$now", _time.GetUtcNow()));
        foreach (var (target, census, state) in waiting)
        {
            if (CensusStates.Parse(state) == CensusState.Cancelled)
            {
                await c.ExecAsync(tx, "UPDATE target SET rescan_requested = 0 WHERE target_id = $t", ct, ("$t", target));
                continue;
            }

            await RequeueAsync(c, tx, target, census, ct).ConfigureAwait(false);
        }
    }

    /// <summary>The rescan itself: next generation, pending in every region, its shards pending, a completed census running.</summary>
    private async Task<int> RequeueAsync(SqliteConnection c, SqliteTransaction tx, string target, Guid censusId, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        await c.ExecAsync(tx, "UPDATE target SET scan_generation = scan_generation + 1, rescan_requested = 0 WHERE target_id = $t", ct, ("$t", target));
        await c.ExecAsync(tx, "UPDATE shard_target SET status = 'pending', completed_at = NULL WHERE target_id = $t", ct, ("$t", target));
        await c.ExecAsync(tx, """
            UPDATE shard SET status = 'pending', lease_owner = NULL, lease_expires_at = NULL, completed_at = NULL
            WHERE shard_id IN (SELECT shard_id FROM shard_target WHERE target_id = $t) AND status <> 'pending'
            """, ct, ("$t", target));
        await c.ExecAsync(tx, "UPDATE census SET state = 'running', updated_at = $now WHERE census_id = $c AND state = 'completed'", ct,
            ("$c", censusId), ("$now", now));
        return Convert.ToInt32(await c.ScalarAsync(tx, "SELECT scan_generation FROM target WHERE target_id = $t", ct, ("$t", target)));
    }
}
