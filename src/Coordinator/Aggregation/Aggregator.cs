using XmppScanCluster.Coordinator.Grading;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.Coordinator.Aggregation;

/// <summary>
/// Reads a census's journal from a position, keeps the latest <c>domain_scan_completed</c> per (domain, mode,
/// region) — a rescan's newer result replaces the older — and grades them with a policy on demand. Nothing is
/// persisted: at census sizes of a few 10 000 domains, recomputing from the journal takes seconds, and a projection
/// would have to be invalidated on every policy change anyway. <see cref="CatchUpAsync"/> can be called again and
/// reads only what is new.
/// </summary>
public sealed class Aggregator(ICensusStore store, Guid censusId)
{
    private readonly Dictionary<(string Domain, XmppMode Mode, string Region), DomainReport> _latest = [];

    /// <summary>The last journal position read.</summary>
    public long Position { get; private set; }

    /// <summary>Reads the journal after <see cref="Position"/>; returns how many results were new or replaced.</summary>
    public async Task<int> CatchUpAsync(CancellationToken ct = default)
    {
        var changed = 0;
        while (true)
        {
            var batch = await store.ReadJournalAsync(Position, 1000, censusId, ct).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                return changed;
            }

            foreach (var entry in batch)
            {
                Position = entry.Position;
                if (entry.Event.Type == DomainScanCompleted.TypeName)
                {
                    // The registry upcasts older schema versions.
                    var report = EventTypeRegistry.Default.Deserialize<DomainScanCompleted>(entry.Event).Report;
                    _latest[(report.Domain, report.Mode, entry.Event.Region)] = report;
                    changed++;
                }
            }
        }
    }

    /// <summary>The latest results, graded with <paramref name="policy"/> (domain grade = worst endpoint).</summary>
    public IReadOnlyList<RegionResult> Results(IGradingPolicy policy) =>
        [.. _latest.OrderBy(p => p.Key.Domain, StringComparer.Ordinal).ThenBy(p => p.Key.Mode).ThenBy(p => p.Key.Region, StringComparer.Ordinal)
            .Select(p => new RegionResult(p.Key.Region, p.Value,
                Grader.GradeDomain(p.Value, [policy]).FirstOrDefault(g => g.Endpoint is null)?.Result))];

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
