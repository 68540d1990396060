namespace XmppScanCluster.Coordinator.Store.Sqlite;

/// <summary>What the operator API needs: every census (rescan: <c>SqliteCensusStore.Rescan.cs</c>).</summary>
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
}
