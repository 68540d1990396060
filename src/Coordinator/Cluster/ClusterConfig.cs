using System.Globalization;
using Akka.Configuration;
using XmppScanCluster.ScanNode.Actors.Persistence;

namespace XmppScanCluster.Coordinator.Cluster;

/// <summary>
/// The cluster and sharding part of a node's configuration, on top of <see cref="NodeActorConfig"/> (serializers,
/// logging; the persistence section, <see cref="CensusPersistence"/>, goes in front). Roles <c>scan</c> (hosts
/// address-shard entities) and <c>region:R</c> (may host the region's feeder singleton). Remember-entities through the
/// event-sourced store, so entities of a node that died start again on the survivors, and those of a whole cluster
/// stopped start again when it comes back, without waiting for the feeder; the ddata durable store (LightningDB) is not
/// used: it hangs here. The split-brain resolver and failure detector are tuned for a fast take-over
/// (deploy/cluster/README.md).
/// </summary>
public static class ClusterConfig
{
    /// <summary>Where sharding keeps its coordinator's state (which Akka shards exist, which node holds each) and every
    /// shard's remembered entities: the census store's Akka.Persistence.Sql journal, which all nodes of the region share
    /// and which outlives them (Akka's in-memory journal was one per process: a shard moved to a survivor, or a cluster
    /// restarted after kill -9 of the embedded census, found nothing remembered). Ids <c>/sharding/TYPECoordinator</c>
    /// and <c>/sharding/TYPEShard/N</c>, TYPE per region (<see cref="ScanClusterNode.ShardTypeName"/>).</summary>
    public const string ShardingJournal = CensusPersistence.JournalPluginId;

    public const string ShardingSnapshots = CensusPersistence.SnapshotPluginId;

    public static Config For(string region, ClusterOptions options)
    {
        var system = ClusterOptions.SystemName(region);
        var seeds = string.Join(", ", options.Seeds.Select(s =>
        {
            ClusterOptions.TryParseSeed(s, out var seed, out _);
            return Quote($"akka.tcp://{system}@{seed.Host}:{seed.Port.ToString(CultureInfo.InvariantCulture)}");
        }));
        var strategy = options.SplitBrain == SplitBrainStrategy.KeepOldest ? "keep-oldest" : "keep-majority";
        var stable = $"{(int)Math.Max(1, options.StableAfter.TotalMilliseconds)}ms";
        return ConfigurationFactory.ParseString($$"""
            akka {
              actor.provider = cluster
              remote.dot-netty.tcp {
                hostname = {{Quote(options.Hostname)}}
                port = {{options.Port.ToString(CultureInfo.InvariantCulture)}}
              }
              cluster {
                seed-nodes = [{{seeds}}]
                roles = ["scan", {{Quote("region:" + region)}}]
                # A downed node stops its actor system; the node process then exits (its supervisor restarts it).
                run-coordinated-shutdown-when-down = on
                downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
                split-brain-resolver {
                  active-strategy = {{strategy}}
                  stable-after = {{stable}}
                  down-all-when-unstable = on
                  # Two nodes: the oldest keeps running when the other is gone; alone after a partition it stays too.
                  keep-oldest.down-if-alone = off
                }
                failure-detector {
                  heartbeat-interval = 1s
                  acceptable-heartbeat-pause = 3s
                }
                sharding {
                  role = "scan"
                  remember-entities = on
                  remember-entities-store = eventsourced
                  # The coordinator is a persistent actor on the journal below (Akka.NET's default, stated): its
                  # remembered shards survive a full restart with no durable ddata store.
                  state-store-mode = persistence
                  journal-plugin-id = {{Quote(ShardingJournal)}}
                  snapshot-plugin-id = {{Quote(ShardingSnapshots)}}
                  # Entities passivate themselves when their shard is done.
                  passivate-idle-entity-after = off
                }
                singleton.role = {{Quote("region:" + region)}}
                singleton-proxy.role = {{Quote("region:" + region)}}
              }
            }
            """).WithFallback(NodeActorConfig.Config);
    }

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
