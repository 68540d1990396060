namespace XmppScanCluster.Coordinator.Store.Sqlite;

/// <summary>Nodes and shard leases. The write transaction is the lock: no two nodes are inside it at once.</summary>
public sealed partial class SqliteCensusStore
{
    private const string Held = "shard_id = $id AND lease_owner = $node AND lease_token = $tok AND status = 'leased'";

    public Task RegisterNodeAsync(string nodeId, string region, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nodeId);
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        var now = _time.GetUtcNow();
        return WriteAsync((c, tx) => c.ExecAsync(tx, """
            INSERT INTO node (node_id, region, registered_at, heartbeat_at) VALUES ($n, $r, $now, $now)
            ON CONFLICT (node_id) DO UPDATE SET region = excluded.region, registered_at = excluded.registered_at,
                heartbeat_at = excluded.heartbeat_at, stopped_at = NULL
            """, ct, ("$n", nodeId), ("$r", region), ("$now", now)), ct);
    }

    public async Task<bool> HeartbeatAsync(string nodeId, CancellationToken ct = default) =>
        await WriteAsync((c, tx) => c.ExecAsync(tx, "UPDATE node SET heartbeat_at = $now WHERE node_id = $n", ct,
            ("$now", _time.GetUtcNow()), ("$n", nodeId)), ct) == 1;

    public Task<IReadOnlyList<NodeInfo>> ListNodesAsync(CancellationToken ct = default) =>
        ReadAsync<IReadOnlyList<NodeInfo>>(async c => await c.ListAsync(null,
            "SELECT node_id, region, registered_at, heartbeat_at, stopped_at IS NOT NULL FROM node ORDER BY node_id",
            r => new NodeInfo(r.GetString(0), r.GetString(1), r.GetInstant(2), r.GetInstant(3), r.GetBoolean(4)), ct), ct);

    public Task<IReadOnlyList<ShardLease>> LeaseShardsAsync(string nodeId, string region, int max, TimeSpan leaseDuration,
        CancellationToken ct = default)
    {
        StoreRules.ValidateLease(max, leaseDuration);
        return WriteAsync<IReadOnlyList<ShardLease>>(async (c, tx) =>
        {
            var now = _time.GetUtcNow();
            // A rescan that waited for a lease that has expired since becomes pending work first.
            await ApplyDeferredRescansAsync(c, tx, ct).ConfigureAwait(false);
            var ids = await c.ListAsync(tx, """
                SELECT s.shard_id FROM shard s JOIN census c ON c.census_id = s.census_id
                WHERE s.region = $r AND c.state = 'running'
                  AND (s.status = 'pending' OR (s.status = 'leased' AND s.lease_expires_at <= $now))
                ORDER BY s.shard_id LIMIT $max
                """, r => r.GetInt64(0), ct, ("$r", region), ("$now", now), ("$max", max));
            var leases = new List<ShardLease>(ids.Count);
            foreach (var id in ids)
            {
                leases.AddRange(await c.ListAsync(tx, """
                    UPDATE shard SET status = 'leased', lease_owner = $node, lease_token = lease_token + 1,
                                     lease_expires_at = $exp
                    WHERE shard_id = $id
                    RETURNING shard_id, census_id, region, shard_key, lease_owner, lease_token, lease_expires_at
                    """, r => new ShardLease(r.GetInt64(0), r.GetGuidText(1), r.GetString(2), r.GetString(3),
                        r.GetString(4), r.GetInt64(5), r.GetInstant(6)), ct,
                    ("$node", nodeId), ("$exp", now + leaseDuration), ("$id", id)));
            }

            return leases;
        }, ct);
    }

    public Task<ShardLease?> RenewLeaseAsync(ShardLease lease, TimeSpan leaseDuration, CancellationToken ct = default)
    {
        StoreRules.ValidateLease(1, leaseDuration);
        return WriteAsync(async (c, tx) =>
        {
            // An expired lease nobody took over yet may still be renewed: the token proves nobody else holds it.
            var expires = _time.GetUtcNow() + leaseDuration;
            var n = await c.ExecAsync(tx, $"""
                UPDATE shard SET lease_expires_at = $exp
                WHERE {Held} AND EXISTS (SELECT 1 FROM census c WHERE c.census_id = shard.census_id
                                         AND c.state IN ('running', 'paused'))
                """, ct, ("$exp", expires), ("$id", lease.ShardId), ("$node", lease.NodeId), ("$tok", lease.Token));
            return n == 1 ? lease with { ExpiresAt = StoreRules.FromMicros(StoreRules.ToMicros(expires)) } : null;
        }, ct);
    }

    public Task<bool> ReleaseLeaseAsync(ShardLease lease, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            var released = await c.ExecAsync(tx, $"""
                UPDATE shard SET status = 'pending', lease_owner = NULL, lease_expires_at = NULL WHERE {Held}
                """, ct, ("$id", lease.ShardId), ("$node", lease.NodeId), ("$tok", lease.Token)) == 1;
            await ApplyDeferredRescansAsync(c, tx, ct).ConfigureAwait(false);
            return released;
        }, ct);

    public Task<int> ReleaseLeasesAsync(string nodeId, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            var n = await c.ExecAsync(tx, """
                UPDATE shard SET status = 'pending', lease_owner = NULL, lease_expires_at = NULL
                WHERE lease_owner = $node AND status = 'leased'
                """, ct, ("$node", nodeId));
            await c.ExecAsync(tx, "UPDATE node SET stopped_at = $now WHERE node_id = $node", ct,
                ("$now", _time.GetUtcNow()), ("$node", nodeId));
            await ApplyDeferredRescansAsync(c, tx, ct).ConfigureAwait(false);
            return n;
        }, ct);

    public Task<bool> CompleteTargetAsync(ShardLease lease, Guid targetId, TargetOutcome outcome, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            if (await c.ScalarAsync(tx, $"SELECT 1 FROM shard WHERE {Held}", ct,
                    ("$id", lease.ShardId), ("$node", lease.NodeId), ("$tok", lease.Token)) is null)
            {
                return false;
            }

            return await c.ExecAsync(tx, """
                UPDATE shard_target SET status = $s, completed_at = $now WHERE shard_id = $id AND target_id = $t
                """, ct, ("$s", outcome.Name()), ("$now", _time.GetUtcNow()), ("$id", lease.ShardId), ("$t", targetId)) == 1;
        }, ct);

    /// <summary>Done under the fencing token; a rescan that waited for this lease then makes the shard pending again.</summary>
    public Task<bool> CompleteShardAsync(ShardLease lease, CancellationToken ct = default) =>
        WriteAsync(async (c, tx) =>
        {
            var done = await c.ExecAsync(tx, $"""
                UPDATE shard SET status = 'done', completed_at = $now, lease_expires_at = NULL WHERE {Held}
                """, ct, ("$now", _time.GetUtcNow()), ("$id", lease.ShardId), ("$node", lease.NodeId), ("$tok", lease.Token)) == 1;
            await ApplyDeferredRescansAsync(c, tx, ct).ConfigureAwait(false);
            return done;
        }, ct);
}
