using System.Collections.Concurrent;
using XmppScanCluster.Coordinator.Store;

namespace XmppScanCluster.Coordinator.Cluster;

/// <summary>
/// On one node: which address-shard entity plans each domain it is scanning, and the addresses that entity owns (the
/// planner's addresses of all its targets). The connection permits of a domain's endpoint go the local way only for
/// these addresses (<see cref="RegionPermits"/>); written by the entities as they read their plans.
/// </summary>
public sealed class PlannedAddresses
{
    private readonly ConcurrentDictionary<(Guid Census, string Domain), Owned> _byDomain = new();

    /// <summary>A shard and the addresses it owns.</summary>
    public sealed record Owned(long ShardId, IReadOnlySet<string> Addresses);

    /// <summary>The entity of <paramref name="shardId"/> read its plan: its domains and their planned addresses.</summary>
    public void Register(Guid censusId, long shardId, IReadOnlyList<ShardTarget> targets)
    {
        var owned = new Owned(shardId, targets.SelectMany(t => t.Addresses).ToHashSet(StringComparer.Ordinal));
        foreach (var target in targets)
        {
            _byDomain[(censusId, target.Domain)] = owned;
        }
    }

    /// <summary>The entity stopped: its domains are no longer scanned here.</summary>
    public void Unregister(Guid censusId, long shardId, IEnumerable<string> domains)
    {
        foreach (var domain in domains)
        {
            // Only its own entry: a rebalanced shard may already have registered the domain again.
            if (_byDomain.TryGetValue((censusId, domain), out var owned) && owned.ShardId == shardId)
            {
                _byDomain.TryRemove(new KeyValuePair<(Guid, string), Owned>((censusId, domain), owned));
            }
        }
    }

    public Owned? Find(Guid censusId, string domain) => _byDomain.GetValueOrDefault((censusId, domain));
}
