using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Node;

/// <summary>
/// Where the per-address permit of one connection comes from (after the blocklist, <see cref="PolitenessGate"/>):
/// the node's own <see cref="PerIpLimiter"/>, or, in a region cluster, the one gate of an address the connecting
/// entity does not own (deploy/cluster/README.md, "Politeness when a region's DNS differs").
/// </summary>
public interface IAddressPermits
{
    /// <summary>Waits for the address's limit and spacing; dispose the permit when the connection closes.</summary>
    ValueTask<AddressPermit> EnterAsync(XmppEndpoint endpoint, CancellationToken ct);

    /// <summary>No new connection to the endpoint's address before <paramref name="wait"/> from now (the server throttled us).</summary>
    void BackOff(XmppEndpoint endpoint, TimeSpan wait);
}

/// <summary>A granted connection start: <paramref name="Release"/> frees it (once); <paramref name="GrantedAt"/> is when
/// it was granted; <paramref name="Started"/> is called once the connection's SYN is out (the address's spacing counts from
/// that report, see <see cref="PerIpLimiter.EnterAsync(System.Net.IPAddress, CancellationToken)"/>) and returns the
/// instant of it on this node's clock.</summary>
public sealed record AddressPermit(IDisposable Release, DateTimeOffset GrantedAt, Func<DateTimeOffset> Started);
