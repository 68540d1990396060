using Microsoft.Extensions.Logging;
using XmppScanCluster.Coordinator.Census;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.ScanNode.Dns;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.Coordinator.Cluster;

/// <summary>
/// A node's view of what the census planner resolved (issue 14: each target resolved once): the planner's own memory when
/// it ran in this process (<paramref name="local"/>, no store round trip), otherwise the result it kept in the census store
/// while the node's clock is before its end of validity (planning time + the answers' shortest TTL). A result the store
/// cannot give (none kept — a TTL of 0 or a failed lookup —, expired, dropped by a rescan, unreadable, or the store
/// failing) is null: the discover step asks DNS, as it would without a plan.
/// </summary>
public sealed class StoredPlannedDiscovery(ICensusStore store, Guid censusId, TimeProvider time, ILogger log,
    PlannedDiscovery? local = null) : IPlannedDiscovery
{
    public async ValueTask<DiscoveryResult?> TryTakeAsync(string domain, XmppMode mode, CancellationToken ct)
    {
        if (local?.TryTake(domain, mode) is { } planned)
        {
            return planned;
        }

        PlannedDiscoveryRow? row;
        try
        {
            row = await store.FindDiscoveryAsync(censusId, domain, mode.Name(), ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The plan only saves a DNS question; a store that cannot answer now must not fail the target.
            log.LogWarning("planned discovery of {Domain} {Mode} unreadable, resolving: {Error}", domain, mode.Name(), ex.Message);
            return null;
        }

        return row is not null && time.GetUtcNow() < row.ValidUntil ? DiscoveryCodec.Read(row.Result, domain, mode) : null;
    }
}
