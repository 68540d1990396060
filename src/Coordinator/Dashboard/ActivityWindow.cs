namespace XmppScanCluster.Coordinator.Dashboard;

/// <summary>Targets finished per minute and journal events per second.</summary>
public sealed record Throughput(double TargetsPerMinute, double EventsPerSecond);

/// <summary>Throughput over <see cref="Window"/>, for the census, per region and per node.</summary>
public sealed record ThroughputSnapshot(TimeSpan Window, Throughput Total, IReadOnlyDictionary<string, Throughput> ByRegion,
    IReadOnlyDictionary<string, Throughput> ByNode)
{
    public Throughput Region(string region) => ByRegion.TryGetValue(region, out var t) ? t : new Throughput(0, 0);

    public Throughput Node(string node) => ByNode.TryGetValue(node, out var t) ? t : new Throughput(0, 0);
}

/// <summary>
/// Journal activity of the last <c>length</c> (by the time the writer stamped on each event): every event counts
/// toward events/s, every <c>target_scan_completed</c> toward targets/min. Counting recent events rather than all
/// since the census began makes the rate (and the ETA from it) follow a census that speeds up, slows down or was
/// paused. Node clocks are assumed roughly in sync with the coordinator's (the lease logic assumes the same).
/// </summary>
public sealed class ActivityWindow(TimeSpan length)
{
    private readonly Queue<(DateTimeOffset At, string Node, string Region, bool Target)> _events = new();

    public TimeSpan Length => length;

    /// <summary>Counts one event written at <paramref name="at"/>; events already older than the window are ignored
    /// (a first catch-up over a long journal keeps only the recent tail).</summary>
    public void Record(DateTimeOffset at, string node, string region, bool targetFinished, DateTimeOffset now)
    {
        if (at >= now - length)
        {
            _events.Enqueue((at, node, region, targetFinished));
        }

        Prune(now);
    }

    /// <summary>The rates at <paramref name="now"/>. The window is shortened to the census's age so a census one
    /// minute old is not divided by five.</summary>
    public ThroughputSnapshot Snapshot(DateTimeOffset now, DateTimeOffset censusCreatedAt)
    {
        Prune(now);
        var window = TimeSpan.FromTicks(Math.Clamp((now - censusCreatedAt).Ticks, TimeSpan.TicksPerSecond, length.Ticks));
        var recent = _events.Where(e => e.At >= now - window && e.At <= now).ToList();
        Throughput Rate(IEnumerable<(DateTimeOffset At, string Node, string Region, bool Target)> events)
        {
            var list = events.ToList();
            return new Throughput(Math.Round(list.Count(e => e.Target) / window.TotalMinutes, 2), Math.Round(list.Count / window.TotalSeconds, 2));
        }

        return new ThroughputSnapshot(window, Rate(recent),
            recent.GroupBy(e => e.Region, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Rate(g), StringComparer.Ordinal),
            recent.GroupBy(e => e.Node, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Rate(g), StringComparer.Ordinal));
    }

    // Events arrive in commit order, which is close to time order; an out-of-order straggler is dropped a little late.
    private void Prune(DateTimeOffset now)
    {
        while (_events.TryPeek(out var first) && first.At < now - length)
        {
            _events.Dequeue();
        }
    }
}
