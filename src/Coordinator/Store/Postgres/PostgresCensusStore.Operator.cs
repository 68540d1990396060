namespace XmppScanCluster.Coordinator.Store.Postgres;

/// <summary>What the operator API needs: every census (rescan: <c>PostgresCensusStore.Rescan.cs</c>).</summary>
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
}
