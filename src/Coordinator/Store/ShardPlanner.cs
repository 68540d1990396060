using System.Net;
using System.Net.Sockets;

namespace XmppScanCluster.Coordinator.Store;

/// <summary>One shard of a plan: its key, the address keys it owns, and its targets.</summary>
public sealed record PlannedShard(string ShardKey, IReadOnlyList<string> AddressKeys, IReadOnlyList<Guid> Targets);

/// <summary>
/// Cuts targets into shards by endpoint address, a pure function. Per-address limits must hold cluster-wide,
/// so every address key (an IP, or its /24 or /48) belongs to exactly one shard: targets that share a key
/// are joined (union-find over the target–key graph), and a shard's key is its smallest address key. A key
/// already owned by a shard of an earlier plan keeps that shard (if a new target links two earlier shards,
/// it joins the one with the smaller key; the earlier shards are not merged). Targets without addresses (DNS failed) go
/// to one of <see cref="UnresolvedBuckets"/> shards <c>unresolved/N</c> by target id.
/// </summary>
public static class ShardPlanner
{
    public const int UnresolvedBuckets = 16;

    /// <summary>The key of one address: itself, or its /24 (IPv4) or /48 (IPv6) network.</summary>
    public static string AddressKey(IPAddress address, ShardKeyPolicy policy)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (policy == ShardKeyPolicy.PerAddress)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        var (keep, prefix) = address.AddressFamily == AddressFamily.InterNetwork ? (3, 24) : (6, 48);
        Array.Clear(bytes, keep, bytes.Length - keep);
        return $"{new IPAddress(bytes)}/{prefix}";
    }

    /// <param name="targets">Targets with their addresses.</param>
    /// <param name="policy">Key width.</param>
    /// <param name="existing">Address key → shard key from earlier plans of the census.</param>
    public static IReadOnlyList<PlannedShard> Plan(IReadOnlyList<TargetEndpoints> targets, ShardKeyPolicy policy,
        IReadOnlyDictionary<string, string> existing)
    {
        var parent = new Dictionary<string, string>(StringComparer.Ordinal);
        var pinned = new HashSet<string>(existing.Values, StringComparer.Ordinal);
        string Find(string k)
        {
            while (parent[k] != k)
            {
                parent[k] = parent[parent[k]];
                k = parent[k];
            }

            return k;
        }

        void Union(string a, string b)
        {
            var (ra, rb) = (Find(a), Find(b));
            if (ra == rb)
            {
                return;
            }

            // An existing shard's key wins (its shard row exists); otherwise the smaller key, so plans are deterministic.
            var (pa, pb) = (pinned.Contains(ra), pinned.Contains(rb));
            var aWins = pa != pb ? pa : string.CompareOrdinal(ra, rb) < 0;
            if (aWins)
            {
                parent[rb] = ra;
            }
            else
            {
                parent[ra] = rb;
            }
        }

        var keysOf = new List<(Guid Target, string[] Keys)>(targets.Count);
        foreach (var target in targets)
        {
            var keys = target.Addresses.Select(a => AddressKey(a, policy)).Distinct(StringComparer.Ordinal).ToArray();
            if (keys.Length == 0)
            {
                keys = [$"unresolved/{target.TargetId.ToByteArray()[0] % UnresolvedBuckets}"];
            }

            foreach (var key in keys)
            {
                parent.TryAdd(key, key);
                // A key owned by an earlier shard pulls its new group into that shard.
                if (existing.TryGetValue(key, out var shardKey))
                {
                    parent.TryAdd(shardKey, shardKey);
                    Union(shardKey, key);
                }
            }

            for (var i = 1; i < keys.Length; i++)
            {
                Union(keys[0], keys[i]);
            }

            keysOf.Add((target.TargetId, keys));
        }

        var shards = new SortedDictionary<string, (SortedSet<string> Keys, List<Guid> Targets)>(StringComparer.Ordinal);
        foreach (var (target, keys) in keysOf)
        {
            var root = Find(keys[0]);
            if (!shards.TryGetValue(root, out var shard))
            {
                shards[root] = shard = (new SortedSet<string>(StringComparer.Ordinal), []);
            }

            shard.Keys.UnionWith(keys);
            if (!shard.Targets.Contains(target))
            {
                shard.Targets.Add(target);
            }
        }

        return shards.Select(s => new PlannedShard(s.Key, [.. s.Value.Keys], s.Value.Targets)).ToList();
    }
}
