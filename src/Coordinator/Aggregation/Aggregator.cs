using XmppScanCluster.Coordinator.Grading;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.ScanNode.Actors.Persistence;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.Coordinator.Aggregation;

/// <summary>
/// A projection of a census's events (Persistence.Query by census tag from an offset, <see cref="CensusEventLog"/>):
/// keeps the latest <c>domain_scan_completed</c> per (domain, mode, region), with its endpoints projected from its
/// stream (<see cref="StreamReports"/>) — a rescan's newer result replaces the older — and grades them with a policy on
/// demand (grades are never stored: a policy change needs no invalidation).
/// Its state is snapshotted (<see cref="AggregatorSnapshot"/>) once <see cref="AggregatorSnapshot.Every"/> events were
/// read past the last snapshot, and a new aggregator without an observer starts from the latest snapshot, reading only
/// the events after it. <see cref="CatchUpAsync(CancellationToken)"/> can be called again and reads only what is new;
/// grades are remembered per policy until their result is replaced, so a long-lived aggregator (the coordinator's
/// dashboard) grades each result once. Not thread-safe: one caller at a time.
/// </summary>
public sealed class Aggregator(ICensusStore store, Guid censusId)
{
    private readonly Dictionary<(string Domain, XmppMode Mode, string Region), DomainReport> _latest = [];
    private StreamReports? _reports;
    private bool _started;
    private int _readSinceSnapshot;

    // Grading is the expensive part of Results (every endpoint through every rule); a result is graded again only
    // when a newer report replaced it, detected by reference.
    private readonly Dictionary<string, Dictionary<(string, XmppMode, string), (DomainReport Report, GradeResult? Grade)>> _grades =
        new(StringComparer.Ordinal);

    /// <summary>The last journal offset read (Akka.Persistence.Sql's ordering).</summary>
    public long Position { get; private set; }

    /// <summary>Reads the census's events after <see cref="Position"/>; returns how many results were new or replaced.</summary>
    public Task<int> CatchUpAsync(CancellationToken ct = default) => CatchUpAsync(null, ct);

    /// <summary>As <see cref="CatchUpAsync(CancellationToken)"/>, and shows every event read to <paramref name="observe"/>
    /// with its report when it is a <c>domain_scan_completed</c> (so a caller counting activity reads the journal once).
    /// An observer sees every event, so an aggregator with one starts at the beginning instead of a snapshot.</summary>
    public async Task<int> CatchUpAsync(Action<CensusLogEntry, DomainReport?>? observe, CancellationToken ct = default)
    {
        if (!_started)
        {
            _started = true;
            if (observe is null)
            {
                await RestoreAsync(ct).ConfigureAwait(false);
            }
        }

        var changed = 0;
        while (true)
        {
            var batch = await store.Events.ReadAsync(censusId, Position, 1000, ct).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                await SnapshotIfDueAsync(ct).ConfigureAwait(false);
                return changed;
            }

            _readSinceSnapshot += batch.Count;

            foreach (var entry in batch)
            {
                Position = entry.Offset;
                // The serializer upcast older schema versions; a report's endpoints come from its stream.
                var report = await (_reports ??= new StreamReports(store.Events, censusId)).ApplyAsync(entry, ct).ConfigureAwait(false);
                if (report is not null)
                {
                    _latest[(report.Domain, report.Mode, entry.Region)] = report;
                    changed++;
                }

                observe?.Invoke(entry, report);
            }
        }
    }

    private async Task RestoreAsync(CancellationToken ct)
    {
        if (await store.Events.LoadSnapshotAsync(AggregatorSnapshot.PersistenceId(censusId), ct).ConfigureAwait(false) is not var (offset, data)
            || AggregatorSnapshot.Read(data) is not { } results)
        {
            return;
        }

        foreach (var (region, report) in results)
        {
            _latest[(report.Domain, report.Mode, region)] = report;
        }

        Position = offset;
    }

    /// <summary>Saves the state once enough was read; a failed save only costs the next start its time.</summary>
    private async Task SnapshotIfDueAsync(CancellationToken ct)
    {
        if (_readSinceSnapshot < AggregatorSnapshot.Every)
        {
            return;
        }

        try
        {
            await store.Events.SaveSnapshotAsync(AggregatorSnapshot.PersistenceId(censusId), Position,
                AggregatorSnapshot.Write(_latest.Select(p => (p.Key.Region, p.Value))), ct).ConfigureAwait(false);
            _readSinceSnapshot = 0;
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The latest results, graded with <paramref name="policy"/> (domain grade = worst endpoint).</summary>
    public IReadOnlyList<RegionResult> Results(IGradingPolicy policy)
    {
        if (!_grades.TryGetValue(policy.Name, out var memo))
        {
            _grades[policy.Name] = memo = [];
        }

        var results = new List<RegionResult>(_latest.Count);
        foreach (var (key, report) in _latest.OrderBy(p => p.Key.Domain, StringComparer.Ordinal).ThenBy(p => p.Key.Mode)
                     .ThenBy(p => p.Key.Region, StringComparer.Ordinal))
        {
            if (!memo.TryGetValue(key, out var graded) || !ReferenceEquals(graded.Report, report))
            {
                memo[key] = graded = (report, Grade(report, policy));
            }

            results.Add(new RegionResult(key.Region, report, graded.Grade));
        }

        return results;
    }

    /// <summary>The domain grade of one report (its worst endpoint), null when no endpoint completed a handshake.</summary>
    public static GradeResult? Grade(DomainReport report, IGradingPolicy policy) =>
        Grader.GradeDomain(report, [policy]).FirstOrDefault(g => g.Endpoint is null)?.Result;

    /// <summary>Statistics of <paramref name="region"/> (default: the first region that has results) under a policy.</summary>
    public CensusStatistics Statistics(IGradingPolicy policy, string? region = null)
    {
        var all = Results(policy);
        var chosen = region ?? all.Select(r => r.Region).FirstOrDefault() ?? "default";
        return StatisticsCalculator.Compute(policy.Name, chosen, [.. all.Where(r => r.Region == chosen)], all);
    }

    /// <summary>Reads the whole journal of a census and computes its statistics.</summary>
    public static async Task<CensusStatistics> ComputeAsync(ICensusStore store, CensusInfo census, IGradingPolicy policy,
        CancellationToken ct = default)
    {
        var aggregator = new Aggregator(store, census.CensusId);
        await aggregator.CatchUpAsync(ct).ConfigureAwait(false);
        return aggregator.Statistics(policy, census.Regions.FirstOrDefault());
    }
}
