namespace XmppScanCluster.Coordinator.Store.Postgres;

/// <summary>Nodes and shard leases.</summary>
public sealed partial class PostgresCensusStore
{
    private const string Held = "shard_id = @id AND lease_owner = @node AND lease_token = @tok AND status = 'leased'";

    public async Task RegisterNodeAsync(string nodeId, string region, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nodeId);
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        var now = _time.GetUtcNow();
        await RunAsync((c, tx) => c.ExecAsync(tx, """
            INSERT INTO node (node_id, region, registered_at, heartbeat_at) VALUES (@n, @r, @now, @now)
            ON CONFLICT (node_id) DO UPDATE SET region = excluded.region, registered_at = excluded.registered_at,
                heartbeat_at = excluded.heartbeat_at, stopped_at = NULL
            """, ct, ("n", nodeId), ("r", region), ("now", now)), ct);
    }

    public async Task<bool> HeartbeatAsync(string nodeId, CancellationToken ct = default) =>
        await RunAsync((c, tx) => c.ExecAsync(tx, "UPDATE node SET heartbeat_at = @now WHERE node_id = @n", ct,
            ("now", _time.GetUtcNow()), ("n", nodeId)), ct) == 1;

    public Task<IReadOnlyList<NodeInfo>> ListNodesAsync(CancellationToken ct = default) =>
        RunAsync<IReadOnlyList<NodeInfo>>(async (c, tx) => await c.ListAsync(tx,
            "SELECT node_id, region, registered_at, heartbeat_at, stopped_at IS NOT NULL FROM node ORDER BY node_id",
            r => new NodeInfo(r.GetString(0), r.GetString(1), r.GetInstant(2), r.GetInstant(3), r.GetBoolean(4)), ct), ct);

    public Task<IReadOnlyList<ShardLease>> LeaseShardsAsync(string nodeId, string region, int max, TimeSpan leaseDuration,
        CancellationToken ct = default)
    {
        StoreRules.ValidateLease(max, leaseDuration);
        return RunAsync<IReadOnlyList<ShardLease>>(async (c, tx) =>
        {
            var now = _time.GetUtcNow();
            // A rescan that waited for a lease that has expired since becomes pending work first.
            await ApplyDeferredRescansAsync(c, tx, ct).ConfigureAwait(false);
            // SKIP LOCKED: rows another node is leasing right now are passed over, never waited for or granted twice.
            // The re-check of status in the UPDATE is implied: a locked row is re-read by the UPDATE itself.
            return await c.ListAsync(tx, """
                WITH picked AS (
                    SELECT s.shard_id FROM shard s JOIN census c ON c.census_id = s.census_id
                    WHERE s.region = @r AND c.state = 'running'
                      AND (s.status = 'pending' OR (s.status = 'leased' AND s.lease_expires_at <= @now))
                    ORDER BY s.shard_id
                    LIMIT @max
                    FOR UPDATE OF s SKIP LOCKED)
                UPDATE shard s SET status = 'leased', lease_owner = @node, lease_token = s.lease_token + 1,
                                   lease_expires_at = @exp
                FROM picked WHERE s.shard_id = picked.shard_id
                RETURNING s.shard_id, s.census_id, s.region, s.shard_key, s.lease_owner, s.lease_token, s.lease_expires_at
                """, r => new ShardLease(r.GetInt64(0), r.GetGuid(1), r.GetString(2), r.GetString(3), r.GetString(4),
                    r.GetInt64(5), r.GetInstant(6)), ct,
                ("r", region), ("now", now), ("max", max), ("node", nodeId), ("exp", now + leaseDuration));
        }, ct);
    }

    public Task<ShardLease?> RenewLeaseAsync(ShardLease lease, TimeSpan leaseDuration, CancellationToken ct = default)
    {
        StoreRules.ValidateLease(1, leaseDuration);
        return RunAsync<ShardLease?>(async (c, tx) =>
        {
            // An expired lease nobody took over yet may still be renewed: the token proves nobody else holds it.
            var rows = await c.ListAsync(tx, $"""
                UPDATE shard SET lease_expires_at = @exp
                WHERE {Held} AND EXISTS (SELECT 1 FROM census c WHERE c.census_id = shard.census_id
                                         AND c.state IN ('running', 'paused'))
                RETURNING lease_expires_at
                """, r => r.GetInstant(0), ct, ("exp", _time.GetUtcNow() + leaseDuration), ("id", lease.ShardId),
                ("node", lease.NodeId), ("tok", lease.Token));
            return rows.Count == 1 ? lease with { ExpiresAt = rows[0] } : null;
        }, ct);
    }

    public Task<bool> ReleaseLeaseAsync(ShardLease lease, CancellationToken ct = default) =>
        RunAsync(async (c, tx) =>
        {
            var released = await c.ExecAsync(tx, $"""
                UPDATE shard SET status = 'pending', lease_owner = NULL, lease_expires_at = NULL WHERE {Held}
                """, ct, ("id", lease.ShardId), ("node", lease.NodeId), ("tok", lease.Token)) == 1;
            await ApplyDeferredRescansAsync(c, tx, ct).ConfigureAwait(false);
            return released;
        }, ct);

    public Task<int> ReleaseLeasesAsync(string nodeId, CancellationToken ct = default) =>
        RunAsync(async (c, tx) =>
        {
            var n = await c.ExecAsync(tx, """
                UPDATE shard SET status = 'pending', lease_owner = NULL, lease_expires_at = NULL
                WHERE lease_owner = @node AND status = 'leased'
                """, ct, ("node", nodeId));
            await c.ExecAsync(tx, "UPDATE node SET stopped_at = @now WHERE node_id = @node", ct,
                ("now", _time.GetUtcNow()), ("node", nodeId));
            await ApplyDeferredRescansAsync(c, tx, ct).ConfigureAwait(false);
            return n;
        }, ct);

    public async Task<bool> CompleteTargetAsync(ShardLease lease, Guid targetId, TargetOutcome outcome,
        CancellationToken ct = default) =>
        await RunAsync((c, tx) => c.ExecAsync(tx, $"""
            UPDATE shard_target SET status = @s, completed_at = @now
            WHERE shard_id = @id AND target_id = @t
              AND EXISTS (SELECT 1 FROM shard WHERE {Held} FOR SHARE)
            """, ct, ("s", outcome.Name()), ("now", _time.GetUtcNow()), ("id", lease.ShardId), ("t", targetId),
            ("node", lease.NodeId), ("tok", lease.Token)), ct) == 1;

    /// <summary>Done under the fencing token; a rescan that waited for this lease then makes the shard pending again.</summary>
    public Task<bool> CompleteShardAsync(ShardLease lease, CancellationToken ct = default) =>
        RunAsync(async (c, tx) =>
        {
            var done = await c.ExecAsync(tx, $"""
                UPDATE shard SET status = 'done', completed_at = @now, lease_expires_at = NULL WHERE {Held}
                """, ct, ("now", _time.GetUtcNow()), ("id", lease.ShardId), ("node", lease.NodeId), ("tok", lease.Token)) == 1;
            await ApplyDeferredRescansAsync(c, tx, ct).ConfigureAwait(false);
            return done;
        }, ct);
}
