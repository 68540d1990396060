using XmppScanCluster.ScanNode.Actors;
using XmppScanCluster.ScanNode.Actors.Steps;
using XmppScanCluster.Shared.Messages;

namespace XmppScanCluster.ScanNode.Node;

/// <summary>
/// What a scan node needs from the census store, and nothing more (the Coordinator adapts its
/// <c>ICensusStore</c> to this): registration and heartbeats, leases with fencing tokens, the targets of a shard,
/// completing targets and shards, where the events are kept (<see cref="Persistence"/>) and the certificate table (written by the session, read by the certificate step).
/// </summary>
public interface INodeStore : ICertificateSink, ICertificateSource
{
    /// <summary>The store the node's actor system persists target events to (<c>CensusPersistence.For</c>): engine
    /// "sqlite" with the census file, or "postgres" with a connection string.</summary>
    (string Engine, string Target) Persistence { get; }

    Task RegisterAsync(string nodeId, string region, CancellationToken ct);

    /// <summary>False when the node is not registered (any more).</summary>
    Task<bool> HeartbeatAsync(string nodeId, CancellationToken ct);

    /// <summary>Leases up to <paramref name="max"/> pending or expired shards of running censuses (FOR UPDATE SKIP LOCKED).</summary>
    Task<IReadOnlyList<NodeLease>> LeaseAsync(string nodeId, string region, int max, TimeSpan duration, CancellationToken ct);

    /// <summary>Extends a lease still held; null when it was lost.</summary>
    Task<NodeLease?> RenewAsync(NodeLease lease, TimeSpan duration, CancellationToken ct);

    /// <summary>Gives one shard back (pending again).</summary>
    Task<bool> ReleaseAsync(NodeLease lease, CancellationToken ct);

    /// <summary>On shutdown: gives every shard back and marks the node stopped.</summary>
    Task ReleaseAllAsync(string nodeId, CancellationToken ct);

    Task<IReadOnlyList<NodeTarget>> TargetsAsync(NodeLease lease, CancellationToken ct);

    /// <summary>False when the lease is not held any more (fenced off).</summary>
    Task<bool> CompleteTargetAsync(NodeLease lease, Guid targetId, bool failed, CancellationToken ct);

    Task<bool> CompleteShardAsync(NodeLease lease, CancellationToken ct);

    Task<CensusSettings> SettingsAsync(Guid censusId, CancellationToken ct);

    /// <summary>Every planned target of the census is done or failed in <paramref name="region"/>.</summary>
    Task<bool> IsCensusFinishedAsync(Guid censusId, string region, CancellationToken ct);
}

/// <summary>A held shard lease; <see cref="Token"/> is the fencing token.</summary>
public sealed record NodeLease(long ShardId, Guid CensusId, string Region, string ShardKey, string NodeId, long Token,
    DateTimeOffset ExpiresAt);

/// <summary>A target of a leased shard and whether it still needs scanning in the shard's region.</summary>
public sealed record NodeTarget(Guid TargetId, string Domain, bool Pending, int Generation = 0);
