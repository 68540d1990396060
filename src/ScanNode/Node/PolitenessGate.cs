using XmppScanCluster.ScanNode.Actors;
using XmppScanCluster.ScanNode.Metrics;
using XmppScanCluster.ScanNode.Progress;
using XmppScanCluster.ScanNode.Transport;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Node;

/// <summary>
/// The connection gate of a census on a node: the blocklist first (a blocked domain or address gets no
/// packet), then the per-address permit (the node's <see cref="PerIpLimiter"/>, or in a region cluster the routing of
/// <see cref="IAddressPermits"/>). Throttling feedback from the steps backs the address off. Optionally
/// writes every connection's open and close time to a <see cref="ConnectionLog"/>, and tells the progress display of
/// every connection it lets through.
/// </summary>
public sealed class PolitenessGate(Blocklist blocklist, IAddressPermits limiter, ConnectionLog? log = null, IScanProgress? progress = null)
    : IConnectionGate, IThrottleFeedback
{
    public async ValueTask<ConnectionPermit> EnterAsync(XmppEndpoint endpoint, CancellationToken ct)
    {
        if (blocklist.IsBlocked(endpoint.Domain) || blocklist.IsBlocked(endpoint.Target))
        {
            NodeMetrics.ConnectionsBlocked.Add(1);
            return ConnectionPermit.Refused(new ProbeFailure(FailureKind.Blocked, $"{endpoint.Domain} is on the blocklist"));
        }

        if (blocklist.IsBlocked(endpoint.Address))
        {
            NodeMetrics.ConnectionsBlocked.Add(1);
            return ConnectionPermit.Refused(new ProbeFailure(FailureKind.Blocked, $"{endpoint.Address} is on the blocklist"));
        }

        var permit = await limiter.EnterAsync(endpoint, ct).ConfigureAwait(false);
        NodeMetrics.ConnectionsOpened.Add(1);
        progress?.ConnectionOpened(endpoint);
        ConnectionLog.Entry? entry = null;
        return ConnectionPermit.Granted(
            release: () =>
            {
                // The address's permit goes back even when the log cannot be written (no space): a failed line must
                // not hold the address for the rest of the census.
                try
                {
                    if (Volatile.Read(ref entry) is { } opened)
                    {
                        log!.Closed(opened);
                    }
                }
                finally
                {
                    permit.Release.Dispose();
                }
            },
            started: () =>
            {
                var at = permit.Started();
                if (log is not null)
                {
                    Volatile.Write(ref entry, log.Opened(endpoint, at));
                }
            });
    }

    public void BackOff(XmppEndpoint endpoint, TimeSpan wait)
    {
        NodeMetrics.ThrottleBackoffs.Add(1);
        limiter.BackOff(endpoint, wait);
    }
}
