using Microsoft.Data.Sqlite;

namespace XmppScanCluster.Coordinator.Store.Sqlite;

/// <summary>
/// Rescan: a new scan generation for one target, pending again in every region, at once. The region's feeder sees it
/// (<see cref="ListRescansAsync"/>) and tells the shard's entity, which restarts a generation in flight under the new
/// one (a completion of the old generation is refused: the new one stays pending).
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

            return new RescanResult(RescanOutcome.Queued, await RequeueAsync(c, tx, target, censusId, ct).ConfigureAwait(false));
        }, ct);

    /// <summary>The rescan itself: next generation, pending in every region, its shards pending, a completed census running,
    /// planning's discovery results dropped (a rescan is asked for to see the server now, DNS included).</summary>
    private async Task<int> RequeueAsync(SqliteConnection c, SqliteTransaction tx, string target, Guid censusId, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        await c.ExecAsync(tx, "UPDATE target SET scan_generation = scan_generation + 1 WHERE target_id = $t", ct, ("$t", target));
        await c.ExecAsync(tx, "UPDATE shard_target SET status = 'pending', completed_at = NULL WHERE target_id = $t", ct, ("$t", target));
        await c.ExecAsync(tx, "DELETE FROM planned_discovery WHERE target_id = $t", ct, ("$t", target));
        await c.ExecAsync(tx, """
            UPDATE shard SET status = 'pending', completed_at = NULL
            WHERE shard_id IN (SELECT shard_id FROM shard_target WHERE target_id = $t) AND status <> 'pending'
            """, ct, ("$t", target));
        await c.ExecAsync(tx, "UPDATE census SET state = 'running', updated_at = $now WHERE census_id = $c AND state = 'completed'", ct,
            ("$c", censusId), ("$now", now));
        return Convert.ToInt32(await c.ScalarAsync(tx, "SELECT scan_generation FROM target WHERE target_id = $t", ct, ("$t", target)));
    }
}
