using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Dns;

/// <summary>
/// Where the discover step finds what the census planner already resolved, so a target is resolved once per census
/// (issue 14): in memory when the planner ran in this process (<see cref="PlannedDiscovery"/>), from the census store
/// when the node is a process of its own. Null means "ask DNS": nothing was kept, its TTL ran out, or it could not be read.
/// </summary>
public interface IPlannedDiscovery
{
    /// <summary>Planning's result for <paramref name="domain"/> in <paramref name="mode"/> if it may still be used; null:
    /// resolve it.</summary>
    ValueTask<DiscoveryResult?> TryTakeAsync(string domain, XmppMode mode, CancellationToken ct);
}
