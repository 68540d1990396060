using XmppScanCluster.Coordinator.Store;

namespace XmppScanCluster.Coordinator.Dashboard;

/// <summary>
/// The coordinator's one <see cref="LiveCensus"/> per census (a singleton shared by the dashboard and
/// <c>/api/censuses/{name}/stats</c>), so a page polled every 2 s reads only the journal's new tail instead of
/// replaying it. At most <c>capacity</c> censuses are kept (each holds its latest results in memory); the least
/// recently used goes first and is rebuilt from the journal if asked for again.
/// </summary>
public sealed class LiveCensuses(ICensusStore store, TimeProvider time, int capacity = 4)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, LiveCensus> _censuses = [];

    /// <summary>The live view of <paramref name="census"/>, created on first use.</summary>
    public LiveCensus For(CensusInfo census)
    {
        lock (_lock)
        {
            if (_censuses.TryGetValue(census.CensusId, out var live))
            {
                return live;
            }

            if (_censuses.Count >= capacity)
            {
                _censuses.Remove(_censuses.MinBy(p => p.Value.LastUsed).Key);
            }

            return _censuses[census.CensusId] = new LiveCensus(store, census, time);
        }
    }
}
