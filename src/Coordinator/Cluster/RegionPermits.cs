using System.Collections.Concurrent;
using Akka.Actor;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.ScanNode.Metrics;
using XmppScanCluster.ScanNode.Node;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.Coordinator.Cluster;

/// <summary>
/// The connection permits of one census on a node of a region cluster. The planner resolved every target once and
/// cut shards by address; a node's DNS (another region's, or a changed record) may give an endpoint address the
/// connecting entity's plan does not hold. The rule (deploy/cluster/README.md): a node connects to the address its own
/// DNS gives (that is what the vantage comparison compares), and the permit for it comes from the one place of the
/// region that governs that address: an address the entity owns from the node's <see cref="PerIpLimiter"/> (no message);
/// any other address from its <see cref="AddressGateEntity"/>, placed with the shard that owns the address in the plan,
/// or keyed by the address alone when no shard owns it. A domain no entity of this node plans (not a census target)
/// goes the local way.
/// </summary>
public sealed class RegionPermits(Guid censusId, NodeRuntime node, PerIpLimiter local, IActorRef client) : IAddressPermits
{
    private static long s_requests;
    private readonly ConcurrentDictionary<string, long> _owners = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Domain, string Address), Route> _routes = new();

    /// <summary>Where one domain's connections to one address take their permit: <see cref="Local"/>, or a gate.</summary>
    private sealed record Route(bool Local, long? Owner);

    public async ValueTask<AddressPermit> EnterAsync(XmppEndpoint endpoint, CancellationToken ct)
    {
        var route = await RouteAsync(endpoint, ct).ConfigureAwait(false);
        if (route.Local)
        {
            return await ((IAddressPermits)local).EnterAsync(endpoint, ct).ConfigureAwait(false);
        }

        var acquire = new AcquirePermit(censusId, GateEntityIds.Text(endpoint.Address), route.Owner, Interlocked.Increment(ref s_requests));
        var granted = new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Tell(new PermitClient.Request(acquire, granted));
        DateTimeOffset at;
        try
        {
            at = await granted.Task.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            client.Tell(new PermitClient.Done(acquire));
            throw;
        }

        NodeMetrics.ConnectionsGated.Add(1);
        return new AddressPermit(new Release(client, acquire), at, () =>
        {
            // Read before the report leaves: the gate counts from the report's arrival, which is later.
            var started = node.Time.GetUtcNow();
            client.Tell(new PermitClient.Started(acquire));
            return started;
        });
    }

    public void BackOff(XmppEndpoint endpoint, TimeSpan wait)
    {
        var address = GateEntityIds.Text(endpoint.Address);
        if (_routes.TryGetValue((endpoint.Domain, address), out var route) && !route.Local)
        {
            client.Tell(new BackOffAddress(censusId, address, route.Owner, wait));
        }
        else
        {
            local.BackOff(endpoint.Address, wait);
        }
    }

    private async ValueTask<Route> RouteAsync(XmppEndpoint endpoint, CancellationToken ct)
    {
        var address = GateEntityIds.Text(endpoint.Address);
        if (node.Planned.Find(censusId, endpoint.Domain) is not { } owned || owned.Addresses.Contains(address))
        {
            return new Route(true, null);
        }

        if (_routes.TryGetValue((endpoint.Domain, address), out var known) && known.Owner is not null)
        {
            return known;
        }

        var owner = await OwnerAsync(endpoint, address, ct).ConfigureAwait(false);
        var route = new Route(owner == owned.ShardId, owner);
        if (_routes.TryAdd((endpoint.Domain, address), route) && !route.Local)
        {
            node.Log(owner is { } o
                ? $"{endpoint.Domain}: {address} resolved in region {node.Options.Region} is not in the plan of shard {owned.ShardId} but of shard {o}: permits from its gate"
                : $"{endpoint.Domain}: {address} resolved in region {node.Options.Region} is not in the plan: permits from the region's gate of {address}");
        }

        _routes[(endpoint.Domain, address)] = route;
        return route;
    }

    /// <summary>The plan's owner of an address in this region; owners never change within a census (a later plan keeps
    /// an address with its shard), so a found owner is kept; "none" is asked again (a later plan may add it).</summary>
    private async ValueTask<long?> OwnerAsync(XmppEndpoint endpoint, string address, CancellationToken ct)
    {
        if (_owners.TryGetValue(address, out var known))
        {
            return known;
        }

        var keys = new[] { ShardKeyPolicy.PerAddress, ShardKeyPolicy.PerSubnet }
            .Select(p => ShardPlanner.AddressKey(endpoint.Address, p)).ToList();
        var owner = await node.Store.FindAddressShardAsync(censusId, node.Options.Region, keys, ct).ConfigureAwait(false);
        if (owner is { } o)
        {
            _owners[address] = o;
        }

        return owner;
    }

    private sealed class Release(IActorRef client, AcquirePermit acquire) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                client.Tell(new PermitClient.Done(acquire));
            }
        }
    }
}
