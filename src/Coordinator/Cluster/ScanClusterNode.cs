using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.Singleton;
using XmppScanCluster.ScanNode.Actors.Persistence;
using XmppScanCluster.ScanNode.Node;

namespace XmppScanCluster.Coordinator.Cluster;

/// <summary>
/// A member of its region's Akka cluster: the actor system (<see cref="ClusterConfig"/>), the node's
/// <see cref="TargetSlots"/>, the <see cref="ShardTypeName"/> sharding region of <see cref="AddressShardEntity"/> (role
/// <c>scan</c>) and the region's <see cref="RegionFeeder"/> singleton manager (role <c>region:R</c>). Without seeds it
/// joins itself: the embedded one-node cluster. Disposing leaves the cluster gracefully (entities hand over).
/// </summary>
public sealed class ScanClusterNode : IAsyncDisposable
{
    /// <summary>The sharding type of a region, <c>xmppscan-REGION-address-shard</c>: sharding's journal ids
    /// (<c>/sharding/TYPECoordinator</c>, <c>/sharding/TYPEShard/N</c>) carry it, and the regions' clusters may share one
    /// PostgreSQL database; with one type name two regions would recover each other's shards.</summary>
    public static string ShardTypeName(string region) => ClusterOptions.SystemName(region) + "-address-shard";

    private readonly ActorSystem _system;

    private ScanClusterNode(ActorSystem system, IActorRef shards, IActorRef slots)
    {
        _system = system;
        Shards = shards;
        Slots = slots;
    }

    /// <summary>The sharding region: an <see cref="IShardMessage"/> reaches the shard's entity wherever it lives.</summary>
    public IActorRef Shards { get; }

    public IActorRef Slots { get; }

    public ActorSystem System => _system;

    /// <summary>This node's address, <c>akka.tcp://xmppscan-REGION@HOST:PORT</c>.</summary>
    public string Address => Akka.Cluster.Cluster.Get(_system).SelfAddress.ToString();

    /// <summary>Completes when the actor system stopped: left, or downed by the split-brain resolver.</summary>
    public Task Terminated => _system.WhenTerminated;

    /// <summary>Starts the node and waits until it is up in its cluster (or <paramref name="ct"/> is cancelled).</summary>
    public static async Task<ScanClusterNode> StartAsync(NodeRuntime node, ClusterOptions options, CancellationToken ct)
    {
        var region = node.Options.Region;
        var system = CreateSystem(node, options);
        try
        {
            var cluster = Akka.Cluster.Cluster.Get(system);
            var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            cluster.RegisterOnMemberUp(() => up.TrySetResult());
            if (options.Seeds.Count == 0)
            {
                cluster.Join(cluster.SelfAddress);
            }

            var slots = system.ActorOf(TargetSlots.Props(Window(node.Options), node.Log), "target-slots");
            if (node.Options.TargetsInFlight is null)
            {
                system.ActorOf(NodeLagProbe.Props(slots, node.Time), "lag-probe");
            }

            var shards = await StartShardsAsync(system, node, slots, options).ConfigureAwait(false);
            system.ActorOf(ClusterSingletonManager.Props(RegionFeeder.Props(region, node, shards, options), PoisonPill.Instance,
                ClusterSingletonManagerSettings.Create(system)), "feeder");
            await up.Task.WaitAsync(ct).ConfigureAwait(false);
            node.Log($"up in cluster {ClusterOptions.SystemName(region)} at {cluster.SelfAddress}");
            return new ScanClusterNode(system, shards, slots);
        }
        catch
        {
            await system.Terminate().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The operator's bound as given, or the memory-sized default reached by a ramp.</summary>
    private static SlotWindow Window(NodeOptions options)
    {
        if (options.TargetsInFlight is { } given)
        {
            return SlotWindow.Fixed(given);
        }

        var bound = InFlightSizing.ForThisProcess();
        return SlotWindow.Ramp(InFlightSizing.RampStart(Environment.ProcessorCount, bound), bound);
    }

    /// <summary>The node's actor system, not joined yet: cluster and sharding (<see cref="ClusterConfig"/>) with
    /// Akka.Persistence.Sql on the node's census store for the target events and sharding's own state.</summary>
    public static ActorSystem CreateSystem(NodeRuntime node, ClusterOptions options)
    {
        var location = node.Store.Location;
        return ActorSystem.Create(ClusterOptions.SystemName(node.Options.Region), BootstrapSetup.Create()
            .WithConfig(CensusPersistence.For(location.Engine, location.Target).WithFallback(ClusterConfig.For(node.Options.Region, options)))
            .And(CensusPersistence.Connections(location.Engine, location.Target))
            .And(new NodeSetup(node.Time))
            .And(new ScanNode.Logging.AkkaLogging(node.Logging))
            .And(new WriterSetup(node.Options.NodeId, node.Options.Region)));
    }

    /// <summary>The region's sharding of <see cref="AddressShardEntity"/> on this node (<see cref="ShardTypeName"/>).</summary>
    public static async Task<IActorRef> StartShardsAsync(ActorSystem system, NodeRuntime node, IActorRef slots, ClusterOptions options)
    {
        // Address-shard entities and, in the same region, the address gates (GateMessages.cs says why one region).
        var shards = await ClusterSharding.Get(system).StartAsync(ShardTypeName(node.Options.Region),
            entityId => ShardEntityIds.TryParse(entityId, out _)
                ? AddressShardEntity.Props(entityId, node, slots)
                : AddressGateEntity.Props(entityId, node),
            ClusterShardingSettings.Create(system), new ShardMessages(options.ShardBuckets)).ConfigureAwait(false);
        node.Permits = system.ActorOf(PermitClient.Props(shards), "permit-client");
        return shards;
    }

    /// <summary>
    /// Runs a node until <paramref name="censusId"/> is finished in its region (every planned target recorded, or the
    /// census cancelled or completed), <paramref name="ct"/> is cancelled, or the node is removed from its cluster
    /// (then false). A paused census is waited for.
    /// </summary>
    public static async Task<bool> RunUntilFinishedAsync(NodeRuntime node, ClusterOptions options, Guid? censusId, CancellationToken ct)
    {
        await using var cluster = await StartAsync(node, options, ct).ConfigureAwait(false);
        try
        {
            while (!cluster.Terminated.IsCompleted
                   && (censusId is not { } id || !await FinishedAsync(node, id, ct).ConfigureAwait(false)))
            {
                await Task.WhenAny(Task.Delay(FinishedPoll, ct), cluster.Terminated).ConfigureAwait(false);
                ct.ThrowIfCancellationRequested();
            }

            if (censusId is not null && !cluster.Terminated.IsCompleted)
            {
                // The end of the scan as this node saw it (bench/federation reads it; the feeder's "completed" may come later).
                node.Log($"census finished in region {node.Options.Region}");
                node.Log(ScanNode.Metrics.ProcessFigures.Describe());
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }

        return !cluster.Terminated.IsCompleted || ct.IsCancellationRequested;
    }

    private static readonly TimeSpan FinishedPoll = TimeSpan.FromSeconds(0.5);

    private static async Task<bool> FinishedAsync(NodeRuntime node, Guid censusId, CancellationToken ct)
    {
        try
        {
            var store = node.Store;
            var census = await store.GetCensusAsync(censusId, ct).ConfigureAwait(false);
            if (census is null || census.State is Store.CensusState.Cancelled or Store.CensusState.Completed)
            {
                return true;
            }

            var progress = (await store.GetProgressAsync(censusId, ct).ConfigureAwait(false)).FirstOrDefault(p => p.Region == node.Options.Region);
            return progress is null || (progress.TargetsPlanned == progress.TargetsTotal && progress.TargetsRemaining == 0);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            node.Log($"progress check failed: {e.Message}");
            return false;
        }
    }

    /// <summary>Leaves the cluster (shards hand over to the other nodes) and stops the actor system.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_system.WhenTerminated.IsCompleted)
        {
            await CoordinatedShutdown.Get(_system).Run(CoordinatedShutdown.ClrExitReason.Instance).ConfigureAwait(false);
        }

        await _system.WhenTerminated.ConfigureAwait(false);
    }

    /// <summary>
    /// The entity id is the shard row's number, or an address gate's id (<see cref="GateEntityIds"/>); the Akka shard a
    /// stable hash of the id, for the gate of an owned address the hash of its owner's id: the gate and the owner's own
    /// connections then share one node and one limiter.
    /// </summary>
    private sealed class ShardMessages(int buckets) : IMessageExtractor
    {
        private readonly HashCodeMessageExtractor _hash = new Hashing(buckets);

        public string EntityId(object message) => message switch
        {
            IShardMessage m => ShardEntityIds.For(m.ShardId),
            IGateMessage g => GateEntityIds.For(g),
            _ => null!,
        };

        public object EntityMessage(object message) => message;

        public string ShardId(object message) => ShardId(EntityId(message), message);

        public string ShardId(string entityId, object? messageHint = null) =>
            _hash.ShardId(GateEntityIds.TryParse(entityId, out _, out _, out var owner) && owner is { } o ? ShardEntityIds.For(o) : entityId,
                messageHint);

        private sealed class Hashing(int buckets) : HashCodeMessageExtractor(buckets)
        {
            public override string EntityId(object message) => null!;
        }
    }
}
