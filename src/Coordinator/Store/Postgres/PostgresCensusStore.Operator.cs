namespace XmppScanCluster.Coordinator.Store.Postgres;

/// <summary>What the operator API needs: every census and the leases held (rescan: <c>PostgresCensusStore.Rescan.cs</c>).</summary>
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
}
