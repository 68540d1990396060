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
                if (Volatile.Read(ref entry) is { } opened)
                {
                    log!.Closed(opened);
                }

                permit.Release.Dispose();
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

/// <summary>
/// One line per connection that started (its SYN went out), appended when it closes:
/// <c>address port opened_unix_ms closed_unix_ms domain</c>.
/// For checking politeness from the outside (tests, operators).
/// </summary>
public sealed class ConnectionLog(string path, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _lock = new();

    public sealed record Entry(XmppEndpoint Endpoint, DateTimeOffset OpenedAt);

    /// <summary>The open time is the instant the limiter counted the connection's start from (its SYN was out).</summary>
    public Entry Opened(XmppEndpoint endpoint, DateTimeOffset grantedAt) => new(endpoint, grantedAt);

    public void Closed(Entry entry)
    {
        var line = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{entry.Endpoint.Address} {entry.Endpoint.Port} {entry.OpenedAt.ToUnixTimeMilliseconds()} {_time.GetUtcNow().ToUnixTimeMilliseconds()} {entry.Endpoint.Domain}\n");
        lock (_lock)
        {
            File.AppendAllText(path, line);
        }
    }
}
