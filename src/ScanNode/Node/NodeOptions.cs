namespace XmppScanCluster.ScanNode.Node;

/// <summary>How a scan node scans: identity, capacity, politeness additions and what it tells.</summary>
public sealed record NodeOptions
{
    /// <summary>Written into every event the node persists (the journal's node column).</summary>
    public required string NodeId { get; init; }

    public string Region { get; init; } = "default";

    /// <summary>Targets scanned at once by this node (across all the shard entities it hosts), each address shard using at
    /// most its lanes of them. Null (the default): sized by the process's memory (<see cref="InFlightSizing"/>) and reached
    /// by a ramp from <see cref="InFlightSizing.RampStart"/> that grows while the node keeps up.</summary>
    public int? TargetsInFlight { get; init; }

    /// <summary>Operator's blocklist entries, on top of the census's.</summary>
    public IReadOnlyList<string> Blocklist { get; init; } = [];

    /// <summary>The node's DNS resolvers instead of the census's (a vantage region resolves with its own view).</summary>
    public IReadOnlyList<string>? DnsOverride { get; init; }

    /// <summary>What the census planner of this process resolved (the embedded census): the discover step of that census
    /// uses it within its TTL instead of asking DNS again, unless <see cref="DnsOverride"/> gives the node its own DNS.</summary>
    public Dns.PlannedDiscovery? PlannedDiscovery { get; init; }

    /// <summary>Errors (exceptions, not server behaviour) a target may cause on this node before it is given up as failed.</summary>
    public int MaxTargetErrors { get; init; } = 3;

    /// <summary>Append every connection's open/close time here (politeness checks).</summary>
    public string? ConnectionLogPath { get; init; }

    /// <summary>Told of every step, connection and politeness wait (the embedded census's progress display).</summary>
    public Progress.IScanProgress? Progress { get; init; }
}
