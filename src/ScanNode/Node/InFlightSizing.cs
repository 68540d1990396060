namespace XmppScanCluster.ScanNode.Node;

/// <summary>
/// How many targets a node scans at once (issue 14, "concurrency that follows the work"). A polite census is bound by
/// its addresses, not by a fixed number: an address lets one connection start per spacing, so a target beyond what keeps
/// its address busy only holds memory and a slot another address could use. Two rules:
/// <list type="bullet">
/// <item>Per address shard at most <see cref="Lanes"/> targets in flight: per connection the census allows an address
/// (<c>--max-per-ip</c>) and address, one connecting and enough waiting at its gate that the address never idles while a
/// target is away from it between two of its connections (writing its events, resolving its next mode): up to
/// <see cref="AwayFromGate"/> away at one start per spacing, at least <see cref="MinLanesPerConnection"/>, at most
/// <see cref="MaxLanesPerConnection"/>.</item>
/// <item>The node's default bound (<c>--targets-in-flight</c> not given): <see cref="MemoryShare"/> of the memory the
/// process may use at <see cref="BytesPerTarget"/> per target in flight, at most <see cref="Max"/>; within it the number
/// in flight follows the work (the lanes of the shards with targets pending), reached by a ramp from
/// <see cref="RampStart"/> that grows while the node keeps up (the Coordinator's <c>SlotWindow</c>).</item>
/// </list>
/// </summary>
public static class InFlightSizing
{
    /// <summary>How long a target may be away from its address's gate between two connections without the address idling:
    /// an allowance, not a measured optimum (bench/federation, 500 domains at spacing 0.1 s on 2 loaded cores: three and six
    /// lanes left the busiest address the same idle time, almost all while every target started at once).</summary>
    public static readonly TimeSpan AwayFromGate = TimeSpan.FromSeconds(0.5);

    /// <summary>Targets per allowed connection at least: one connecting, two waiting (the census default spacing of 2 s).</summary>
    public const int MinLanesPerConnection = 3;

    /// <summary>Targets per allowed connection at most (no spacing: only the connections themselves pace the address).</summary>
    public const int MaxLanesPerConnection = 16;

    /// <summary>Budgeted memory per target in flight, an upper bound of what one costs at depth full (the census bench
    /// measured about 0.22 MB of RSS per target in flight, issue 14).</summary>
    public const long BytesPerTarget = 256 * 1024;

    /// <summary>The default bound uses one part in this many of the memory the process may use.</summary>
    public const int MemoryShare = 8;

    /// <summary>The most targets a node holds in flight (also the largest <c>--targets-in-flight</c> accepted).</summary>
    public const int Max = 1024;

    /// <summary>Targets in flight per core when the default bound starts, and the least it falls back to: 16 on 2 cores,
    /// the old fixed default, which bench/federation measured closer to the floor on 2 loaded cores (1.31–1.36 ×) than
    /// every target of the 211-slot default started at once (1.50–1.58 ×).</summary>
    public const int RampStartPerCore = 8;

    /// <summary>Where the default bound's ramp starts on <paramref name="processors"/> cores, at most <paramref name="bound"/>.</summary>
    public static int RampStart(int processors, int bound) => Math.Clamp(RampStartPerCore * Math.Max(1, processors), 1, Math.Max(1, bound));

    /// <summary>The default bound for a process that may use <paramref name="availableBytes"/> of memory.</summary>
    public static int TargetsInFlight(long availableBytes) =>
        (int)Math.Clamp(availableBytes / MemoryShare / BytesPerTarget, 1, Max);

    /// <summary>The default bound of this process: the GC's view of its memory (physical memory, or a container's or
    /// <c>GCHeapHardLimit</c>'s limit); 16, the old fixed default, when the runtime does not say.</summary>
    public static int ForThisProcess()
    {
        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return available > 0 ? TargetsInFlight(available) : 16;
    }

    /// <summary>Targets per allowed connection of an address at <paramref name="spacing"/> between two starts: one connecting
    /// and one waiting per spacing in <see cref="AwayFromGate"/>, between <see cref="MinLanesPerConnection"/> and
    /// <see cref="MaxLanesPerConnection"/>.</summary>
    public static int LanesPerConnection(TimeSpan spacing) => spacing <= TimeSpan.Zero
        ? MaxLanesPerConnection
        : (int)Math.Clamp(1 + Math.Ceiling(AwayFromGate / spacing), MinLanesPerConnection, MaxLanesPerConnection);

    /// <summary>At most this many targets of one address shard in flight: its <paramref name="addresses"/> (a shard
    /// without any, its targets unresolved at planning, counts as one) times <paramref name="maxPerIp"/> times
    /// <see cref="LanesPerConnection"/> at the census's <paramref name="spacing"/>, at most <see cref="Max"/>.</summary>
    public static int Lanes(int addresses, int maxPerIp, TimeSpan spacing) =>
        (int)Math.Min(Max, (long)Math.Max(1, addresses) * Math.Max(1, maxPerIp) * LanesPerConnection(spacing));
}
