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
/// paused. Counts are kept per second and (node, region), so a snapshot costs the number of buckets, not of events
/// (a busy cluster writes tens of thousands of events in the window). Node clocks are assumed roughly in sync with
/// the coordinator's (the lease logic assumes the same).
/// </summary>
public sealed class ActivityWindow(TimeSpan length)
{
    private readonly Dictionary<(long Second, string Node, string Region), (int Events, int Targets)> _buckets = [];

    public TimeSpan Length => length;

    /// <summary>Counts one event written at <paramref name="at"/>; events already older than the window are ignored
    /// (a first catch-up over a long journal keeps only the recent tail).</summary>
    public void Record(DateTimeOffset at, string node, string region, bool targetFinished, DateTimeOffset now)
    {
        if (at < now - length)
        {
            return;
        }

        var key = (at.ToUnixTimeSeconds(), node, region);
        var (events, targets) = _buckets.GetValueOrDefault(key);
        _buckets[key] = (events + 1, targets + (targetFinished ? 1 : 0));
    }

    /// <summary>The rates at <paramref name="now"/>, over the seconds of the window. The window is shortened to the
    /// census's age so a census one minute old is not divided by two.</summary>
    public ThroughputSnapshot Snapshot(DateTimeOffset now, DateTimeOffset censusCreatedAt)
    {
        var window = TimeSpan.FromTicks(Math.Clamp((now - censusCreatedAt).Ticks, TimeSpan.TicksPerSecond, length.Ticks));
        var oldest = (now - length).ToUnixTimeSeconds();
        foreach (var stale in _buckets.Keys.Where(k => k.Second < oldest).ToList())
        {
            _buckets.Remove(stale);
        }

        var (from, to) = ((now - window).ToUnixTimeSeconds(), now.ToUnixTimeSeconds());
        var recent = _buckets.Where(b => b.Key.Second >= from && b.Key.Second <= to).ToList();
        Throughput Rate(IEnumerable<KeyValuePair<(long Second, string Node, string Region), (int Events, int Targets)>> buckets)
        {
            var (events, targets) = buckets.Aggregate((0, 0), (sum, b) => (sum.Item1 + b.Value.Events, sum.Item2 + b.Value.Targets));
            return new Throughput(Math.Round(targets / window.TotalMinutes, 2), Math.Round(events / window.TotalSeconds, 2));
        }

        return new ThroughputSnapshot(window, Rate(recent),
            recent.GroupBy(b => b.Key.Region, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Rate(g), StringComparer.Ordinal),
            recent.GroupBy(b => b.Key.Node, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Rate(g), StringComparer.Ordinal));
    }
}
