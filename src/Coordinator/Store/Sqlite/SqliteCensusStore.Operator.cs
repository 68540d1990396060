namespace XmppScanCluster.Coordinator.Store.Sqlite;

/// <summary>What the operator API needs: every census and the leases held (rescan: <c>SqliteCensusStore.Rescan.cs</c>).</summary>
public sealed partial class SqliteCensusStore
{
    public Task<IReadOnlyList<CensusInfo>> ListCensusesAsync(CancellationToken ct = default) =>
        ReadAsync<IReadOnlyList<CensusInfo>>(async c =>
        {
            var ids = await c.ListAsync(null, "SELECT census_id FROM census ORDER BY created_at, name", r => r.GetGuidText(0), ct);
            var list = new List<CensusInfo>();
            foreach (var id in ids)
            {
                if (await LoadCensusAsync(c, null, "census_id = $k", id, ct).ConfigureAwait(false) is { } census)
                {
                    list.Add(census);
                }
            }

            return list;
        }, ct);

    public Task<IReadOnlyList<ShardLease>> ListLeasesAsync(CancellationToken ct = default) =>
        ReadAsync<IReadOnlyList<ShardLease>>(async c => await c.ListAsync(null, """
            SELECT shard_id, census_id, region, shard_key, lease_owner, lease_token, lease_expires_at
            FROM shard WHERE status = 'leased' ORDER BY lease_owner, shard_id
            """, r => new ShardLease(r.GetInt64(0), r.GetGuidText(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt64(5),
                r.GetInstant(6)), ct).ConfigureAwait(false), ct);
}
