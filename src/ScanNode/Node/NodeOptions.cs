namespace XmppScanCluster.ScanNode.Node;

/// <summary>How a scan node runs: identity, capacity and lease timing.</summary>
public sealed record NodeOptions
{
    public required string NodeId { get; init; }

    public string Region { get; init; } = "default";

    /// <summary>Targets scanned at once by this node (across all its shards).</summary>
    public int TargetsInFlight { get; init; } = 16;

    /// <summary>Lease length; renewed every third of it. A dead node's shards are taken over after this.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Wait between lease attempts when nothing was leased.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Exit once this census is finished in the node's region (embedded runs, tests); null: run until stopped.</summary>
    public Guid? ExitWhenCensusDone { get; init; }

    /// <summary>Operator's blocklist entries, on top of the census's.</summary>
    public IReadOnlyList<string> Blocklist { get; init; } = [];

    /// <summary>
    /// At start, give back shards still leased under <see cref="NodeId"/>: a previous incarnation of this node
    /// (the embedded run, killed) cannot hold them any more, so the rerun need not wait for them to expire.
    /// Only for node ids no other live process uses; fencing tokens keep it safe if one does.
    /// </summary>
    public bool ReclaimOwnLeases { get; init; }

    /// <summary>Errors (exceptions, not server behaviour) a target may cause on this node before it is given up as failed.</summary>
    public int MaxTargetErrors { get; init; } = 3;

    /// <summary>Append every connection's open/close time here (politeness checks).</summary>
    public string? ConnectionLogPath { get; init; }

    /// <summary>Told of every step, connection and politeness wait (the embedded census's progress display).</summary>
    public Progress.IScanProgress? Progress { get; init; }
}
