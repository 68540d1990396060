using XmppScanCluster.Coordinator.Aggregation;
using XmppScanCluster.Coordinator.Grading;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.Coordinator.Dashboard;

/// <summary>A result as it arrived: when, from which node and region, and its grade under the census's policy.</summary>
public sealed record RecentResult(long Position, DateTimeOffset At, string Node, string Region, DomainReport Report, GradeResult? Grade);

/// <summary>
/// One census as the coordinator watches it: an <see cref="Aggregator"/> kept for the server's lifetime and caught up
/// incrementally on each request (one indexed journal read when nothing is new), the statistics cached per (policy,
/// region) until a result arrives (throttled on large censuses, see below), the latest results and the recent
/// activity. Requests for one census take turns (the aggregator is not thread-safe); a census's requests never wait
/// for another census's.
/// </summary>
public sealed class LiveCensus(ICensusStore store, CensusInfo census, TimeProvider time)
{
    /// <summary>How many arrived results are kept for the "latest results" list.</summary>
    public const int RecentCapacity = 50;

    /// <summary>The activity window of the throughput figures.</summary>
    public static readonly TimeSpan ActivityLength = TimeSpan.FromMinutes(2);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Aggregator _aggregator = new(store, census.CensusId);
    private readonly ActivityWindow _activity = new(ActivityLength);
    private readonly LinkedList<RecentResult> _recent = new();
    private readonly Dictionary<(string Policy, string Region), CensusStatistics> _statistics = [];

    // Recomputing the statistics is linear in the census (~110 ms for 10 000 results, measured in bench/dashboard);
    // while results stream in, every poll of every viewer would pay it. A computation that cost more than
    // ExpensiveStatistics waits until ten times its cost has passed, so statistics take at most ~10% of a core
    // however many pages poll, and lag by at most a poll or two on a large census; small censuses are always fresh.
    private static readonly TimeSpan ExpensiveStatistics = TimeSpan.FromMilliseconds(50);
    private long _statisticsComputedAt;
    private TimeSpan _statisticsCost;
    private bool _statisticsStale;

    public CensusInfo Census => census;

    /// <summary>Whether statistics that took <paramref name="cost"/> to compute, <paramref name="since"/> ago, may be
    /// computed again now that results arrived: always when cheap, else once ten times their cost has passed.</summary>
    internal static bool MayRecompute(TimeSpan cost, TimeSpan since) => cost <= ExpensiveStatistics || since >= cost * 10;

    /// <summary>When a request last used this census (the cache evicts the least recently used).</summary>
    public DateTimeOffset LastUsed { get; private set; } = time.GetUtcNow();

    /// <summary>The statistics of <paramref name="region"/> (null: the census's first region) under <paramref name="policy"/>.</summary>
    public Task<CensusStatistics> StatisticsAsync(IGradingPolicy policy, string? region, CancellationToken ct) =>
        WithAsync(() =>
        {
            var key = (policy.Name, region ?? census.Regions.FirstOrDefault() ?? string.Empty);
            if (_statisticsStale && MayRecompute(_statisticsCost, time.GetElapsedTime(_statisticsComputedAt)))
            {
                _statistics.Clear();
                _statisticsStale = false;
            }

            if (!_statistics.TryGetValue(key, out var stats))
            {
                // Measured on the server's clock, not the Stopwatch: under a fake clock the cost is zero and the page always
                // fresh, so a test's result does not depend on how loaded the machine was (it did: DashboardHttpTests).
                var started = time.GetTimestamp();
                _statistics[key] = stats = _aggregator.Statistics(policy, region ?? census.Regions.FirstOrDefault());
                (_statisticsComputedAt, _statisticsCost) = (started, time.GetElapsedTime(started));
            }

            return stats;
        }, ct);

    /// <summary>The latest <paramref name="count"/> results to arrive, newest first, graded with the census's policy.</summary>
    public Task<IReadOnlyList<RecentResult>> RecentAsync(int count, CancellationToken ct) =>
        WithAsync<IReadOnlyList<RecentResult>>(() =>
        {
            var policy = Policies.TryGet(census.GradingPolicy, out var p) ? p : null;
            var list = new List<RecentResult>();
            for (var node = _recent.Last; node is not null && list.Count < count; node = node.Previous)
            {
                // Graded when first shown, not when read: a first catch-up over a long journal passes thousands by.
                if (node.Value.Grade is null && policy is not null)
                {
                    node.Value = node.Value with { Grade = Aggregator.Grade(node.Value.Report, policy) };
                }

                list.Add(node.Value);
            }

            return list;
        }, ct);

    /// <summary>Targets/min and events/s over the last <see cref="ActivityLength"/>.</summary>
    public Task<ThroughputSnapshot> ThroughputAsync(CancellationToken ct) =>
        WithAsync(() => _activity.Snapshot(time.GetUtcNow(), census.CreatedAt), ct);

    private async Task<T> WithAsync<T>(Func<T> read, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var now = time.GetUtcNow();
            LastUsed = now;
            if (await _aggregator.CatchUpAsync((entry, report) => Observe(entry, report, now), ct).ConfigureAwait(false) > 0)
            {
                _statisticsStale = true;
            }

            return read();
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Observe(JournalEntry entry, DomainReport? report, DateTimeOffset now)
    {
        var e = entry.Event;
        _activity.Record(e.OccurredAt, e.NodeId, e.Region, e.Type == TargetScanCompleted.TypeName, now);
        if (report is not null)
        {
            _recent.AddLast(new RecentResult(entry.Position, e.OccurredAt, e.NodeId, e.Region, report, null));
            if (_recent.Count > RecentCapacity)
            {
                _recent.RemoveFirst();
            }
        }
    }
}
