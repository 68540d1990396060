using System.Collections.Concurrent;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Dns;

/// <summary>
/// The census planner's discovery results, handed to the discover step of the node in the same process (the embedded
/// census) so that a target is resolved once, not at planning and again when it is scanned (issue 14). A result is taken
/// from here once, and only while its answers' TTL has not run out since planning
/// (<see cref="DiscoveryResult.ValidFor"/>); a result that may not be reused (a failed lookup, a TTL of 0) is not kept.
/// Only for the census it was planned for and a node resolving with the planner's DNS: a node with its own DNS (a
/// region's vantage) resolves for itself, which is what the vantage comparison compares. The planner also keeps each
/// result in the census store, which is how a node in another process finds it, and where a node looks after this: a
/// target retried within the TTL finds it there again, a rescanned one does not (a rescan drops it).
/// </summary>
public sealed class PlannedDiscovery(Guid censusId, TimeProvider? time = null) : IPlannedDiscovery
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<(string Domain, XmppMode Mode), (DiscoveryResult Result, DateTimeOffset Expires)> _results = new();

    /// <summary>The census whose plan resolved these.</summary>
    public Guid CensusId { get; } = censusId;

    /// <summary>Results kept and not taken yet.</summary>
    public int Count => _results.Count;

    /// <summary>Keeps <paramref name="result"/>, resolved just now, for its TTL.</summary>
    public void Add(DiscoveryResult result)
    {
        if (result.ValidFor is { } valid && valid > TimeSpan.Zero)
        {
            _results[(result.Domain, result.Mode)] = (result, _time.GetUtcNow() + valid);
        }
    }

    /// <summary>The planner's result for <paramref name="domain"/> in <paramref name="mode"/>, once, if still within its
    /// TTL; null: resolve it.</summary>
    public DiscoveryResult? TryTake(string domain, XmppMode mode) =>
        DomainName.TryNormalize(domain, out var name, out _) && _results.TryRemove((name, mode), out var kept)
            && _time.GetUtcNow() < kept.Expires
            ? kept.Result
            : null;

    public ValueTask<DiscoveryResult?> TryTakeAsync(string domain, XmppMode mode, CancellationToken ct) =>
        ValueTask.FromResult(TryTake(domain, mode));
}
