namespace XmppScanCluster.Coordinator.Store.Postgres;

/// <summary>The cluster's work: open shards and rescans for the feeder, target completion for the entities, the reported cluster.</summary>
public sealed partial class PostgresCensusStore
{
    private const string ShardColumns = "s.shard_id, s.census_id, s.region, s.shard_key, s.status = 'done'";

    public Task<IReadOnlyList<ShardInfo>> ListOpenShardsAsync(string region, CancellationToken ct = default) =>
        RunAsync<IReadOnlyList<ShardInfo>>(async (c, tx) => await c.ListAsync(tx, $"""
            SELECT {ShardColumns} FROM shard s JOIN census c ON c.census_id = s.census_id
            WHERE s.region = @r AND s.status <> 'done' AND c.state = 'running'
            ORDER BY (SELECT COUNT(*) FROM shard_target st WHERE st.shard_id = s.shard_id AND st.status = 'pending') DESC, s.shard_id
            """, ReadShard, ct, ("r", region)).ConfigureAwait(false), ct);

    /// <summary>From the partial index <c>target_rescanned</c> (0006): only targets ever rescanned are read, not the census.</summary>
    public Task<IReadOnlyList<PendingRescan>> ListRescansAsync(string region, CancellationToken ct = default) =>
        RunAsync<IReadOnlyList<PendingRescan>>(async (c, tx) => await c.ListAsync(tx, """
            SELECT st.shard_id, t.target_id, t.scan_generation
            FROM target t JOIN shard_target st ON st.target_id = t.target_id
            JOIN shard s ON s.shard_id = st.shard_id JOIN census c ON c.census_id = s.census_id
            WHERE t.scan_generation > 0 AND st.status = 'pending' AND s.region = @r AND c.state = 'running'
            """, r => new PendingRescan(r.GetInt64(0), r.GetGuid(1), r.GetInt32(2)), ct, ("r", region)).ConfigureAwait(false), ct);

    public async Task<ShardInfo?> GetShardAsync(long shardId, CancellationToken ct = default) =>
        (await RunAsync<IReadOnlyList<ShardInfo>>(async (c, tx) => await c.ListAsync(tx,
            $"SELECT {ShardColumns} FROM shard s WHERE s.shard_id = @s", ReadShard, ct, ("s", shardId)).ConfigureAwait(false), ct)
            .ConfigureAwait(false)).SingleOrDefault();

    public async Task<long?> FindAddressShardAsync(Guid censusId, string region, IReadOnlyList<string> addressKeys, CancellationToken ct = default) =>
        (await RunAsync<IReadOnlyList<long>>(async (c, tx) => await c.ListAsync(tx, """
            SELECT s.shard_id FROM shard_address a JOIN shard s ON s.census_id = a.census_id AND s.shard_key = a.shard_key
            WHERE a.census_id = @c AND s.region = @r AND a.address_key = ANY(@k) ORDER BY s.shard_id LIMIT 1
            """, r => r.GetInt64(0), ct, ("c", censusId), ("r", region), ("k", addressKeys.ToArray())).ConfigureAwait(false), ct)
            .ConfigureAwait(false)).Select(id => (long?)id).SingleOrDefault();

    /// <summary>The shard row is locked first, so two completions of its last targets cannot both miss marking it done.</summary>
    public Task<bool> CompleteTargetAsync(long shardId, Guid targetId, int generation, TargetOutcome outcome, CancellationToken ct = default) =>
        RunAsync(async (c, tx) =>
        {
            var now = _time.GetUtcNow();
            await c.ExecAsync(tx, "SELECT 1 FROM shard WHERE shard_id = @id FOR UPDATE", ct, ("id", shardId));
            var recorded = await c.ExecAsync(tx, """
                UPDATE shard_target SET status = @s, completed_at = @now
                WHERE shard_id = @id AND target_id = @t AND status = 'pending'
                  AND (SELECT scan_generation FROM target WHERE target_id = @t) = @g
                """, ct, ("s", outcome.Name()), ("now", now), ("id", shardId), ("t", targetId), ("g", generation)) == 1;
            await c.ExecAsync(tx, """
                UPDATE shard SET status = 'done', completed_at = @now
                WHERE shard_id = @id AND status <> 'done'
                  AND NOT EXISTS (SELECT 1 FROM shard_target WHERE shard_id = @id AND status = 'pending')
                """, ct, ("now", now), ("id", shardId));
            return recorded;
        }, ct);

    public Task ReportClusterAsync(string region, IReadOnlyList<ClusterMember> members, CancellationToken ct = default) =>
        RunAsync(async (c, tx) =>
        {
            await c.ExecAsync(tx, "DELETE FROM cluster_member WHERE region = @r", ct, ("r", region));
            foreach (var m in members)
            {
                await c.ExecAsync(tx, """
                    INSERT INTO cluster_member (region, address, roles, status, reachable, shards, entities, reported_at)
                    VALUES (@r, @a, @roles, @st, @re, @sh, @en, @at)
                    """, ct, ("r", region), ("a", m.Address), ("roles", m.Roles), ("st", m.Status), ("re", m.Reachable),
                    ("sh", m.Shards), ("en", m.Entities), ("at", m.ReportedAt));
            }

            return members.Count;
        }, ct);

    public Task<IReadOnlyList<ClusterMember>> ListClusterMembersAsync(CancellationToken ct = default) =>
        RunAsync<IReadOnlyList<ClusterMember>>(async (c, tx) => await c.ListAsync(tx, """
            SELECT region, address, roles, status, reachable, shards, entities, reported_at FROM cluster_member ORDER BY region, address
            """, r => new ClusterMember(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetBoolean(4), r.GetInt32(5),
                r.GetInt32(6), r.GetInstant(7)), ct).ConfigureAwait(false), ct);

    private static ShardInfo ReadShard(Npgsql.NpgsqlDataReader r) =>
        new(r.GetInt64(0), r.GetGuid(1), r.GetString(2), r.GetString(3), r.GetBoolean(4));
}
