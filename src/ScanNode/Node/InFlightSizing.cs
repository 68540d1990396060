namespace XmppScanCluster.ScanNode.Node;

/// <summary>
/// How many targets a node scans at once (issue 14, "concurrency that follows the work"). A polite census is bound by
/// its addresses, not by a fixed number: an address lets one connection start per spacing, so a target beyond what keeps
/// its address busy only holds memory and a slot another address could use. Two rules:
/// <list type="bullet">
/// <item>Per address shard at most <see cref="Lanes"/> targets in flight: <see cref="LanesPerConnection"/> per connection the
/// census allows an address (<c>--max-per-ip</c>) and address — one connecting, the others waiting at its gate, so the
/// address never idles while a target writes its events or resolves its next mode between two connections.</item>
/// <item>The node's default bound (<c>--targets-in-flight</c> not given): <see cref="MemoryShare"/> of the memory the
/// process may use at <see cref="BytesPerTarget"/> per target in flight, at most <see cref="Max"/>; within it the number
/// in flight follows the work (the lanes of the shards with targets pending).</item>
/// </list>
/// </summary>
public static class InFlightSizing
{
    /// <summary>Targets per allowed connection of an address: one connecting and two waiting at its gate.</summary>
    public const int LanesPerConnection = 3;

    /// <summary>Budgeted memory per target in flight, an upper bound of what one costs at depth full (the census bench
    /// measured about 0.22 MB of RSS per target in flight, issue 14).</summary>
    public const long BytesPerTarget = 256 * 1024;

    /// <summary>The default bound uses one part in this many of the memory the process may use.</summary>
    public const int MemoryShare = 8;

    /// <summary>The most targets a node holds in flight (also the largest <c>--targets-in-flight</c> accepted).</summary>
    public const int Max = 1024;

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

    /// <summary>At most this many targets of one address shard in flight: its <paramref name="addresses"/> (a shard
    /// without any, its targets unresolved at planning, counts as one) times <paramref name="maxPerIp"/> times
    /// <see cref="LanesPerConnection"/>.</summary>
    public static int Lanes(int addresses, int maxPerIp) =>
        (int)Math.Min(Max, (long)Math.Max(1, addresses) * Math.Max(1, maxPerIp) * LanesPerConnection);
}
