using Microsoft.Data.Sqlite;

namespace XmppScanCluster.Coordinator.Store.Sqlite;

/// <summary>Targets, shard planning and progress.</summary>
public sealed partial class SqliteCensusStore
{
    public Task<AddTargetsResult> AddTargetsAsync(Guid censusId, IEnumerable<string> domains, CancellationToken ct = default)
    {
        var input = domains.ToList();
        var now = _time.GetUtcNow();
        return WriteAsync(async (c, tx) =>
        {
            await RequireCensusAsync(c, tx, censusId, ct);
            var added = new List<TargetRef>();
            var duplicates = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            await using var insert = c.Command(tx, """
                INSERT INTO target (target_id, census_id, domain, added_at) VALUES ($id, $c, $d, $now)
                ON CONFLICT (census_id, domain) DO NOTHING
                """, ("$id", Guid.Empty), ("$c", censusId), ("$d", ""), ("$now", now));
            foreach (var raw in input)
            {
                var domain = StoreRules.NormalizeDomain(raw);
                ArgumentException.ThrowIfNullOrEmpty(domain, nameof(domains));
                if (!seen.Add(domain))
                {
                    duplicates.Add(domain);
                    continue;
                }

                var id = Guid.NewGuid();
                insert.Parameters["$id"].Value = id.ToString("D");
                insert.Parameters["$d"].Value = domain;
                if (await insert.ExecuteNonQueryAsync(ct) == 1)
                {
                    added.Add(new TargetRef(id, domain));
                }
                else
                {
                    duplicates.Add(domain);
                }
            }

            return new AddTargetsResult(added, duplicates);
        }, ct);
    }

    public Task<IReadOnlyList<TargetRef>> ListTargetsAsync(Guid censusId, string? afterDomain, int limit,
        CancellationToken ct = default) =>
        ReadAsync<IReadOnlyList<TargetRef>>(async c => await c.ListAsync(null, """
            SELECT target_id, domain FROM target WHERE census_id = $c AND domain > $after ORDER BY domain LIMIT $n
            """, r => new TargetRef(r.GetGuidText(0), r.GetString(1)), ct,
            ("$c", censusId), ("$after", afterDomain ?? ""), ("$n", limit)), ct);

    public Task<PlanResult> PlanShardsAsync(Guid censusId, IReadOnlyList<TargetEndpoints> targets, ShardKeyPolicy policy,
        CancellationToken ct = default)
    {
        var now = _time.GetUtcNow();
        return WriteAsync(async (c, tx) =>
        {
            var regions = await c.ListAsync(tx, "SELECT region FROM census_region WHERE census_id = $c ORDER BY region",
                r => r.GetString(0), ct, ("$c", censusId));
            if (regions.Count == 0)
            {
                throw new KeyNotFoundException($"no census {censusId}");
            }

            var fresh = new List<TargetEndpoints>();
            var skipped = 0;
            foreach (var target in targets.DistinctBy(t => t.TargetId))
            {
                var planned = await c.ScalarAsync(tx, "SELECT planned_at IS NOT NULL FROM target WHERE target_id = $t AND census_id = $c",
                    ct, ("$t", target.TargetId), ("$c", censusId))
                    ?? throw new ArgumentException($"target {target.TargetId} is not in census {censusId}");
                if (Convert.ToInt64(planned) == 1) skipped++; else fresh.Add(target);
            }

            var existing = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var key in fresh.SelectMany(t => t.Addresses).Select(a => ShardPlanner.AddressKey(a, policy)).Distinct())
            {
                if (await c.ScalarAsync(tx, "SELECT shard_key FROM shard_address WHERE census_id = $c AND address_key = $k",
                        ct, ("$c", censusId), ("$k", key)) is string shardKey)
                {
                    existing[key] = shardKey;
                }
            }

            var created = 0;
            foreach (var shard in ShardPlanner.Plan(fresh, policy, existing))
            {
                foreach (var key in shard.AddressKeys)
                {
                    await c.ExecAsync(tx, """
                        INSERT INTO shard_address (census_id, address_key, shard_key) VALUES ($c, $a, $k)
                        ON CONFLICT DO NOTHING
                        """, ct, ("$c", censusId), ("$a", key), ("$k", shard.ShardKey));
                }

                foreach (var region in regions)
                {
                    created += await c.ExecAsync(tx, """
                        INSERT INTO shard (census_id, region, shard_key) VALUES ($c, $r, $k) ON CONFLICT DO NOTHING
                        """, ct, ("$c", censusId), ("$r", region), ("$k", shard.ShardKey));
                    // New targets reopen a shard that was done.
                    var shardId = (long)(await c.ScalarAsync(tx, """
                        UPDATE shard SET status = CASE status WHEN 'done' THEN 'pending' ELSE status END,
                                         completed_at = NULL
                        WHERE census_id = $c AND region = $r AND shard_key = $k RETURNING shard_id
                        """, ct, ("$c", censusId), ("$r", region), ("$k", shard.ShardKey)))!;
                    foreach (var target in shard.Targets)
                    {
                        await c.ExecAsync(tx, "INSERT INTO shard_target (shard_id, target_id) VALUES ($s, $t) ON CONFLICT DO NOTHING",
                            ct, ("$s", shardId), ("$t", target));
                    }
                }
            }

            foreach (var target in fresh)
            {
                foreach (var address in target.Addresses.Select(a => a.ToString()).Distinct())
                {
                    await c.ExecAsync(tx, "INSERT INTO target_address (target_id, address) VALUES ($t, $a) ON CONFLICT DO NOTHING",
                        ct, ("$t", target.TargetId), ("$a", address));
                }

                await c.ExecAsync(tx, "UPDATE target SET planned_at = $now WHERE target_id = $t", ct,
                    ("$now", now), ("$t", target.TargetId));
            }

            return new PlanResult(fresh.Count, skipped, created);
        }, ct);
    }

    public Task<IReadOnlyList<ShardTarget>> GetShardTargetsAsync(long shardId, CancellationToken ct = default) =>
        ReadAsync<IReadOnlyList<ShardTarget>>(async c =>
        {
            var rows = await c.ListAsync(null, """
                SELECT st.target_id, t.domain, st.status,
                       (SELECT group_concat(address, ' ') FROM target_address a WHERE a.target_id = st.target_id), t.scan_generation
                FROM shard_target st JOIN target t ON t.target_id = st.target_id
                WHERE st.shard_id = $s ORDER BY t.domain
                """, r => new ShardTarget(r.GetGuidText(0), r.GetString(1),
                    r.IsDBNull(3) ? [] : r.GetString(3).Split(' ').Order(StringComparer.Ordinal).ToList(),
                    StoreRules.ParseTargetStatus(r.GetString(2)), r.GetInt32(4)), ct, ("$s", shardId));
            return rows;
        }, ct);

    public Task<IReadOnlyList<RegionProgress>> GetProgressAsync(Guid censusId, CancellationToken ct = default) =>
        ReadAsync<IReadOnlyList<RegionProgress>>(async c =>
        {
            var total = Convert.ToInt32(await c.ScalarAsync(null, "SELECT count(*) FROM target WHERE census_id = $c", ct,
                ("$c", censusId)));
            return await c.ListAsync(null, """
                SELECT r.region,
                  (SELECT count(*) FROM shard_target st JOIN shard s ON s.shard_id = st.shard_id
                    WHERE s.census_id = r.census_id AND s.region = r.region),
                  (SELECT count(*) FROM shard_target st JOIN shard s ON s.shard_id = st.shard_id
                    WHERE s.census_id = r.census_id AND s.region = r.region AND st.status = 'done'),
                  (SELECT count(*) FROM shard_target st JOIN shard s ON s.shard_id = st.shard_id
                    WHERE s.census_id = r.census_id AND s.region = r.region AND st.status = 'failed'),
                  (SELECT count(*) FROM shard s WHERE s.census_id = r.census_id AND s.region = r.region AND s.status = 'pending'),
                  (SELECT count(*) FROM shard s WHERE s.census_id = r.census_id AND s.region = r.region AND s.status = 'done')
                FROM census_region r WHERE r.census_id = $c ORDER BY r.region
                """, r => new RegionProgress(r.GetString(0), total, r.GetInt32(1), r.GetInt32(2), r.GetInt32(3),
                    r.GetInt32(4), r.GetInt32(5)), ct, ("$c", censusId));
        }, ct);

    private static async Task RequireCensusAsync(SqliteConnection c, SqliteTransaction tx, Guid censusId, CancellationToken ct)
    {
        if (await c.ScalarAsync(tx, "SELECT 1 FROM census WHERE census_id = $c", ct, ("$c", censusId)) is null)
        {
            throw new KeyNotFoundException($"no census {censusId}");
        }
    }
}
