using Npgsql;

namespace XmppScanCluster.Coordinator.Store.Postgres;

/// <summary>Census, targets, shard planning and progress.</summary>
public sealed partial class PostgresCensusStore
{
    public async Task<CensusInfo> CreateCensusAsync(CensusDefinition definition, CancellationToken ct = default)
    {
        StoreRules.Validate(definition);
        // The id is chosen before the first attempt, so a retry after a lost commit finds its own census.
        var id = Guid.NewGuid();
        var now = _time.GetUtcNow();
        try
        {
            return await RunAsync(async (c, tx) =>
            {
                var existing = await c.ScalarAsync(tx, "SELECT census_id FROM census WHERE name = @n", ct, ("n", definition.Name));
                if (existing is Guid other && other != id)
                {
                    throw new CensusExistsException(definition.Name);
                }

                if (existing is null)
                {
                    await c.ExecAsync(tx, """
                        INSERT INTO census (census_id, name, settings, grading_policy, state, created_at, updated_at)
                        VALUES (@id, @name, @settings::jsonb, @policy, 'running', @now, @now)
                        """, ct, ("id", id), ("name", definition.Name), ("settings", definition.SettingsJson),
                        ("policy", definition.GradingPolicy), ("now", now));
                    await c.ExecAsync(tx, "INSERT INTO census_region (census_id, region) SELECT @id, unnest(@r::text[]) ON CONFLICT DO NOTHING",
                        ct, ("id", id), ("r", definition.Regions.Distinct().ToArray()));
                }

                return (await LoadCensusAsync(c, tx, "census_id = @k", id, ct))!;
            }, ct);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new CensusExistsException(definition.Name);
        }
    }

    public Task<CensusInfo?> GetCensusAsync(Guid censusId, CancellationToken ct = default) =>
        RunAsync((c, tx) => LoadCensusAsync(c, tx, "census_id = @k", censusId, ct), ct);

    public Task<CensusInfo?> FindCensusAsync(string name, CancellationToken ct = default) =>
        RunAsync((c, tx) => LoadCensusAsync(c, tx, "name = @k", name, ct), ct);

    private static async Task<CensusInfo?> LoadCensusAsync(NpgsqlConnection c, NpgsqlTransaction tx, string where,
        object key, CancellationToken ct)
    {
        var rows = await c.ListAsync(tx, $"""
            SELECT census_id, name, settings::text, grading_policy, state, created_at,
                   ARRAY(SELECT region FROM census_region r WHERE r.census_id = census.census_id ORDER BY region)
            FROM census WHERE {where}
            """, r => new CensusInfo(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3),
                r.GetFieldValue<string[]>(6), CensusStates.Parse(r.GetString(4)), r.GetInstant(5)), ct, ("k", key));
        return rows.Count == 0 ? null : rows[0];
    }

    public Task<CensusState> SetCensusStateAsync(Guid censusId, CensusState state, CancellationToken ct = default) =>
        RunAsync(async (c, tx) =>
        {
            var current = await c.ScalarAsync(tx, "SELECT state FROM census WHERE census_id = @id FOR UPDATE", ct, ("id", censusId))
                as string ?? throw new KeyNotFoundException($"no census {censusId}");
            var from = CensusStates.Parse(current);
            if (!CensusStates.CanMove(from, state))
            {
                throw new InvalidOperationException($"census {censusId} cannot go from {from.Name()} to {state.Name()}");
            }

            await c.ExecAsync(tx, "UPDATE census SET state = @s, updated_at = @now WHERE census_id = @id", ct,
                ("s", state.Name()), ("now", _time.GetUtcNow()), ("id", censusId));
            return state;
        }, ct);

    public Task<AddTargetsResult> AddTargetsAsync(Guid censusId, IEnumerable<string> domains, CancellationToken ct = default)
    {
        var unique = new List<string>();
        var duplicates = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in domains)
        {
            var domain = StoreRules.NormalizeDomain(raw);
            ArgumentException.ThrowIfNullOrEmpty(domain, nameof(domains));
            (seen.Add(domain) ? unique : duplicates).Add(domain);
        }

        var ids = unique.Select(_ => Guid.NewGuid()).ToArray();
        var now = _time.GetUtcNow();
        return RunAsync(async (c, tx) =>
        {
            if (await c.ScalarAsync(tx, "SELECT 1 FROM census WHERE census_id = @c", ct, ("c", censusId)) is null)
            {
                throw new KeyNotFoundException($"no census {censusId}");
            }

            var inserted = await c.ListAsync(tx, """
                INSERT INTO target (target_id, census_id, domain, added_at)
                SELECT id, @c, d, @now FROM unnest(@ids::uuid[], @ds::text[]) WITH ORDINALITY AS x(id, d, n) ORDER BY n
                ON CONFLICT (census_id, domain) DO NOTHING
                RETURNING target_id, domain
                """, r => new TargetRef(r.GetGuid(0), r.GetString(1)), ct,
                ("c", censusId), ("now", now), ("ids", ids), ("ds", unique.ToArray()));
            var byDomain = inserted.ToDictionary(t => t.Domain, StringComparer.Ordinal);
            var added = unique.Where(byDomain.ContainsKey).Select(d => byDomain[d]).ToList();
            return new AddTargetsResult(added, [.. duplicates, .. unique.Where(d => !byDomain.ContainsKey(d))]);
        }, ct);
    }

    public Task<IReadOnlyList<TargetRef>> ListTargetsAsync(Guid censusId, string? afterDomain, int limit,
        CancellationToken ct = default) =>
        RunAsync<IReadOnlyList<TargetRef>>(async (c, tx) => await c.ListAsync(tx, """
            SELECT target_id, domain FROM target WHERE census_id = @c AND domain > @after ORDER BY domain LIMIT @n
            """, r => new TargetRef(r.GetGuid(0), r.GetString(1)), ct,
            ("c", censusId), ("after", afterDomain ?? ""), ("n", limit)), ct);

    public Task<PlanResult> PlanShardsAsync(Guid censusId, IReadOnlyList<TargetEndpoints> targets, ShardKeyPolicy policy,
        CancellationToken ct = default)
    {
        var input = targets.DistinctBy(t => t.TargetId).ToList();
        var now = _time.GetUtcNow();
        return RunAsync(async (c, tx) =>
        {
            // One planner per census at a time: shard_address must see the previous plan.
            await c.ExecAsync(tx, "SELECT pg_advisory_xact_lock(hashtextextended(@c::text, 7))", ct, ("c", censusId));
            var regions = await c.ListAsync(tx, "SELECT region FROM census_region WHERE census_id = @c ORDER BY region",
                r => r.GetString(0), ct, ("c", censusId));
            if (regions.Count == 0)
            {
                throw new KeyNotFoundException($"no census {censusId}");
            }

            var plannedBefore = (await c.ListAsync(tx, """
                SELECT target_id, planned_at IS NOT NULL FROM target WHERE census_id = @c AND target_id = ANY(@ids)
                """, r => (Id: r.GetGuid(0), Planned: r.GetBoolean(1)), ct,
                ("c", censusId), ("ids", input.Select(t => t.TargetId).ToArray()))).ToDictionary(x => x.Id, x => x.Planned);
            var unknown = input.FirstOrDefault(t => !plannedBefore.ContainsKey(t.TargetId));
            if (unknown is not null)
            {
                throw new ArgumentException($"target {unknown.TargetId} is not in census {censusId}");
            }

            var fresh = input.Where(t => !plannedBefore[t.TargetId]).ToList();
            var keys = fresh.SelectMany(t => t.Addresses).Select(a => ShardPlanner.AddressKey(a, policy)).Distinct().ToArray();
            var existing = (await c.ListAsync(tx, """
                SELECT address_key, shard_key FROM shard_address WHERE census_id = @c AND address_key = ANY(@k)
                """, r => (r.GetString(0), r.GetString(1)), ct, ("c", censusId), ("k", keys)))
                .ToDictionary(x => x.Item1, x => x.Item2, StringComparer.Ordinal);
            var plan = ShardPlanner.Plan(fresh, policy, existing);

            var addressKeys = plan.SelectMany(s => s.AddressKeys.Select(k => (Key: k, s.ShardKey))).ToList();
            await c.ExecAsync(tx, """
                INSERT INTO shard_address (census_id, address_key, shard_key)
                SELECT @c, a, k FROM unnest(@a::text[], @k::text[]) AS x(a, k) ON CONFLICT DO NOTHING
                """, ct, ("c", censusId), ("a", addressKeys.Select(x => x.Key).ToArray()),
                ("k", addressKeys.Select(x => x.ShardKey).ToArray()));

            var shardKeys = plan.Select(s => s.ShardKey).ToArray();
            var created = await c.ExecAsync(tx, """
                INSERT INTO shard (census_id, region, shard_key)
                SELECT @c, r, k FROM unnest(@r::text[]) AS r CROSS JOIN unnest(@k::text[]) AS k ORDER BY k, r
                ON CONFLICT DO NOTHING
                """, ct, ("c", censusId), ("r", regions.ToArray()), ("k", shardKeys));
            // New targets reopen a shard that was done.
            await c.ExecAsync(tx, """
                UPDATE shard SET status = 'pending', completed_at = NULL
                WHERE census_id = @c AND shard_key = ANY(@k) AND status = 'done'
                """, ct, ("c", censusId), ("k", shardKeys));

            var members = plan.SelectMany(s => s.Targets.Select(t => (s.ShardKey, Target: t))).ToList();
            await c.ExecAsync(tx, """
                INSERT INTO shard_target (shard_id, target_id)
                SELECT s.shard_id, x.t FROM unnest(@k::text[], @t::uuid[]) AS x(k, t)
                JOIN shard s ON s.census_id = @c AND s.shard_key = x.k
                ON CONFLICT DO NOTHING
                """, ct, ("c", censusId), ("k", members.Select(m => m.ShardKey).ToArray()),
                ("t", members.Select(m => m.Target).ToArray()));

            var addresses = fresh.SelectMany(t => t.Addresses.Select(a => (t.TargetId, Address: a.ToString()))).Distinct().ToList();
            await c.ExecAsync(tx, """
                INSERT INTO target_address (target_id, address)
                SELECT t, a FROM unnest(@t::uuid[], @a::text[]) AS x(t, a) ON CONFLICT DO NOTHING
                """, ct, ("t", addresses.Select(x => x.TargetId).ToArray()), ("a", addresses.Select(x => x.Address).ToArray()));
            await c.ExecAsync(tx, "UPDATE target SET planned_at = @now WHERE target_id = ANY(@t)", ct,
                ("now", now), ("t", fresh.Select(t => t.TargetId).ToArray()));
            return new PlanResult(fresh.Count, input.Count - fresh.Count, created);
        }, ct);
    }

    public Task<IReadOnlyList<ShardTarget>> GetShardTargetsAsync(long shardId, CancellationToken ct = default) =>
        RunAsync<IReadOnlyList<ShardTarget>>(async (c, tx) => await c.ListAsync(tx, """
            SELECT st.target_id, t.domain, st.status,
                   ARRAY(SELECT address FROM target_address a WHERE a.target_id = st.target_id ORDER BY address COLLATE "C"),
                   t.scan_generation
            FROM shard_target st JOIN target t ON t.target_id = st.target_id
            WHERE st.shard_id = @s ORDER BY t.domain
            """, r => new ShardTarget(r.GetGuid(0), r.GetString(1), r.GetFieldValue<string[]>(3),
                StoreRules.ParseTargetStatus(r.GetString(2)), r.GetInt32(4)), ct, ("s", shardId)), ct);

    public Task<IReadOnlyList<RegionProgress>> GetProgressAsync(Guid censusId, CancellationToken ct = default) =>
        RunAsync<IReadOnlyList<RegionProgress>>(async (c, tx) => await c.ListAsync(tx, """
            SELECT r.region,
              (SELECT count(*) FROM target t WHERE t.census_id = r.census_id),
              count(st.target_id),
              count(st.target_id) FILTER (WHERE st.status = 'done'),
              count(st.target_id) FILTER (WHERE st.status = 'failed'),
              (SELECT count(*) FROM shard s WHERE s.census_id = r.census_id AND s.region = r.region AND s.status = 'pending'),
              (SELECT count(*) FROM shard s WHERE s.census_id = r.census_id AND s.region = r.region AND s.status = 'done')
            FROM census_region r
            LEFT JOIN shard s ON s.census_id = r.census_id AND s.region = r.region
            LEFT JOIN shard_target st ON st.shard_id = s.shard_id
            WHERE r.census_id = @c GROUP BY r.census_id, r.region ORDER BY r.region
            """, r => new RegionProgress(r.GetString(0), (int)r.GetInt64(1), (int)r.GetInt64(2), (int)r.GetInt64(3),
                (int)r.GetInt64(4), (int)r.GetInt64(5), (int)r.GetInt64(6)), ct, ("c", censusId)), ct);
}
