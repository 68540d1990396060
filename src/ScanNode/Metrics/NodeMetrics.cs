using System.Diagnostics.Metrics;

namespace XmppScanCluster.ScanNode.Metrics;

/// <summary>
/// The node's counters (<see cref="System.Diagnostics.Metrics"/>, meter <see cref="MeterName"/>), rendered as
/// Prometheus text by <see cref="PrometheusText"/>: connections the politeness gate let through or blocked, back-offs
/// after throttling, steps by name and status, events the census journal wrote, target actors and shard entities alive, targets finished.
/// </summary>
public static class NodeMetrics
{
    public const string MeterName = "XmppScanCluster.Node";

    private static readonly Meter Meter = new(MeterName);

    public static Counter<long> ConnectionsOpened { get; } =
        Meter.CreateCounter<long>("xmppscan_connections_opened", description: "TCP connections the politeness gate let through");

    public static Counter<long> ConnectionsBlocked { get; } =
        Meter.CreateCounter<long>("xmppscan_connections_blocked", description: "Connections refused by the blocklist (nothing sent)");

    public static Counter<long> ConnectionsGated { get; } =
        Meter.CreateCounter<long>("xmppscan_connections_gated",
            description: "Connection permits from the region's gate of an address the connecting entity does not own (its DNS differed from the plan)");

    public static Counter<long> ThrottleBackoffs { get; } =
        Meter.CreateCounter<long>("xmppscan_throttle_backoffs", description: "Back-offs after a server throttled us");

    public static Counter<long> Steps { get; } =
        Meter.CreateCounter<long>("xmppscan_steps", description: "Scan steps run, by step and recorded status");

    public static Counter<long> EventsWritten { get; } =
        Meter.CreateCounter<long>("xmppscan_events_written", description: "Events the census journal stored");

    public static UpDownCounter<long> TargetActorsAlive { get; } =
        Meter.CreateUpDownCounter<long>("xmppscan_target_actors", description: "Target actors alive (targets in flight)");

    public static UpDownCounter<long> ShardEntitiesAlive { get; } =
        Meter.CreateUpDownCounter<long>("xmppscan_shard_entities", description: "Address-shard entities alive on this node (Cluster.Sharding)");

    public static Counter<long> TlsSessions { get; } =
        Meter.CreateCounter<long>("xmppscan_tls_sessions",
            description: "Session probes by the client that finished the TLS session: engine, sslstream, observation, or none");

    public static Counter<long> TargetsFinished { get; } =
        Meter.CreateCounter<long>("xmppscan_targets_finished", description: "Targets completed, by outcome");
}
