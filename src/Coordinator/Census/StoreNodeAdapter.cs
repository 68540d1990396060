using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.ScanNode.Actors;
using XmppScanCluster.ScanNode.Node;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Messages;

namespace XmppScanCluster.Coordinator.Census;

/// <summary>The census store seen from a scan node: <see cref="ICensusStore"/> adapted to <see cref="INodeStore"/>.
/// <paramref name="dnsOverride"/> (a node's <c>--dns</c>) replaces the census's resolvers: a vantage region resolves with
/// its own view of DNS, as a node abroad would.</summary>
public sealed class StoreNodeAdapter(ICensusStore store, IReadOnlyList<string>? dnsOverride = null) : INodeStore
{
    public Task RegisterAsync(string nodeId, string region, CancellationToken ct) => store.RegisterNodeAsync(nodeId, region, ct);

    public Task<bool> HeartbeatAsync(string nodeId, CancellationToken ct) => store.HeartbeatAsync(nodeId, ct);

    public async Task<IReadOnlyList<NodeLease>> LeaseAsync(string nodeId, string region, int max, TimeSpan duration, CancellationToken ct) =>
        (await store.LeaseShardsAsync(nodeId, region, max, duration, ct).ConfigureAwait(false)).Select(ToNode).ToList();

    public async Task<NodeLease?> RenewAsync(NodeLease lease, TimeSpan duration, CancellationToken ct) =>
        await store.RenewLeaseAsync(ToStore(lease), duration, ct).ConfigureAwait(false) is { } renewed ? ToNode(renewed) : null;

    public Task<bool> ReleaseAsync(NodeLease lease, CancellationToken ct) => store.ReleaseLeaseAsync(ToStore(lease), ct);

    public Task ReleaseAllAsync(string nodeId, CancellationToken ct) => store.ReleaseLeasesAsync(nodeId, ct);

    public async Task<IReadOnlyList<NodeTarget>> TargetsAsync(NodeLease lease, CancellationToken ct) =>
        (await store.GetShardTargetsAsync(lease.ShardId, ct).ConfigureAwait(false))
            .Select(t => new NodeTarget(t.TargetId, t.Domain, t.Status == TargetStatus.Pending, t.Generation)).ToList();

    public Task<bool> CompleteTargetAsync(NodeLease lease, Guid targetId, bool failed, CancellationToken ct) =>
        store.CompleteTargetAsync(ToStore(lease), targetId, failed ? TargetOutcome.Failed : TargetOutcome.Done, ct);

    public Task<bool> CompleteShardAsync(NodeLease lease, CancellationToken ct) => store.CompleteShardAsync(ToStore(lease), ct);

    public async Task<CensusSettings> SettingsAsync(Guid censusId, CancellationToken ct)
    {
        var settings = CensusSettings.FromJson((await store.GetCensusAsync(censusId, ct).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"no census {censusId}")).SettingsJson);
        return dnsOverride is { Count: > 0 } ? settings with { DnsServers = dnsOverride } : settings;
    }

    public async Task<bool> IsCensusFinishedAsync(Guid censusId, string region, CancellationToken ct)
    {
        var census = await store.GetCensusAsync(censusId, ct).ConfigureAwait(false);
        if (census is null || census.State is CensusState.Cancelled or CensusState.Completed)
        {
            return true;
        }

        var progress = (await store.GetProgressAsync(censusId, ct).ConfigureAwait(false)).FirstOrDefault(p => p.Region == region);
        return progress is null || (progress.TargetsPlanned == progress.TargetsTotal && progress.TargetsRemaining == 0);
    }

    public (string Engine, string Target) Persistence => (store.Location.Engine, store.Location.Target);

    public Task PutAsync(IReadOnlyList<byte[]> ders, CancellationToken ct) =>
        store.PutCertificatesAsync(ders.Select(d => (ReadOnlyMemory<byte>)d).ToList(), ct);

    public Task<byte[]?> GetAsync(string sha256, CancellationToken ct) => store.GetCertificateAsync(sha256, ct);

    private static NodeLease ToNode(ShardLease l) => new(l.ShardId, l.CensusId, l.Region, l.ShardKey, l.NodeId, l.Token, l.ExpiresAt);

    private static ShardLease ToStore(NodeLease l) => new(l.ShardId, l.CensusId, l.Region, l.ShardKey, l.NodeId, l.Token, l.ExpiresAt);
}
