using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Sharding;
using XmppScanCluster.Coordinator.Store;

namespace XmppScanCluster.Coordinator.Cluster;

/// <summary>
/// The region's cluster singleton (role <c>region:R</c>): every feed interval it reads the open shards of running
/// censuses in its region from the store and wakes their entities through the shard region (again every
/// <see cref="ClusterOptions.RewakeTicks"/> ticks while still open: a wake lost with a node that died is repeated), marks
/// a census <c>completed</c> once every region has recorded every planned target, and writes what it sees of the
/// cluster (members, roles, reachability, shards and entities per node) into the store for the coordinator.
/// </summary>
public sealed class RegionFeeder : ReceiveActor, IWithTimers
{
    private const int ReportEveryTicks = 3;

    private readonly string _region;
    private readonly ICensusStore _store;
    private readonly NodeRuntime _node;
    private readonly IActorRef _shards;
    private readonly ClusterOptions _options;
    private readonly Dictionary<long, long> _wokenAt = [];
    private long _tick;
    private bool _busy;
    private bool _reporting;

    public RegionFeeder(string region, NodeRuntime node, IActorRef shards, ClusterOptions options)
    {
        _region = region;
        _node = node;
        _store = node.Store;
        _shards = shards;
        _options = options;
        Receive<Tick>(_ => OnTick());
        Receive<Fed>(OnFed);
        Receive<FeedFailed>(f =>
        {
            _busy = false;
            _node.Log($"feeder: store not readable, retrying: {f.Cause.Message}");
        });
        Receive<ClusterShardingStats>(stats => Report(stats.Regions));
        Receive<Reported>(_ => _reporting = false);
        Receive<Status.Failure>(f =>
        {
            _reporting = false;
            _node.Log($"feeder: cluster state not reported: {f.Cause.Message}");
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string region, NodeRuntime node, IActorRef shards, ClusterOptions options) =>
        Akka.Actor.Props.Create(() => new RegionFeeder(region, node, shards, options));

    protected override void PreStart()
    {
        _node.Log($"feeder of region {_region} started");
        Timers.StartPeriodicTimer("feed", Tick.Instance, TimeSpan.Zero, _options.FeedInterval);
    }

    private void OnTick()
    {
        _tick++;
        if (!_busy)
        {
            _busy = true;
            FeedAsync().PipeTo(Self, failure: e => new FeedFailed(e));
        }

        if (_tick % ReportEveryTicks == 1 && !_reporting)
        {
            _reporting = true;
            _shards.Ask<ClusterShardingStats>(new GetClusterShardingStats(_options.FeedInterval), _options.FeedInterval * 2)
                .PipeTo(Self, failure: e => new Status.Failure(e));
        }
    }

    private async Task<Fed> FeedAsync()
    {
        var open = await _store.ListOpenShardsAsync(_region).ConfigureAwait(false);
        await CompleteFinishedAsync().ConfigureAwait(false);
        return new Fed(open);
    }

    /// <summary>A running census whose every region recorded every planned target (and whose planning is over) is completed.</summary>
    private async Task CompleteFinishedAsync()
    {
        foreach (var census in await _store.ListCensusesAsync().ConfigureAwait(false))
        {
            if (census.State != CensusState.Running || !census.Regions.Contains(_region))
            {
                continue;
            }

            var progress = await _store.GetProgressAsync(census.CensusId).ConfigureAwait(false);
            if (progress.Count > 0 && progress.All(p => p.TargetsPlanned == p.TargetsTotal && p.TargetsRemaining == 0))
            {
                try
                {
                    await _store.SetCensusStateAsync(census.CensusId, CensusState.Completed).ConfigureAwait(false);
                    _node.Log($"census {census.Name} completed");
                }
                catch (InvalidOperationException)
                {
                    // Paused or cancelled meanwhile: the operator's word stands.
                }
            }
        }
    }

    private void OnFed(Fed fed)
    {
        _busy = false;
        var open = new HashSet<long>();
        foreach (var shard in fed.Open)
        {
            open.Add(shard.ShardId);
            if (!_wokenAt.TryGetValue(shard.ShardId, out var at) || _tick - at >= _options.RewakeTicks)
            {
                _wokenAt[shard.ShardId] = _tick;
                _shards.Tell(new WakeShard(shard.ShardId));
            }
        }

        // A shard done and opened again (a rescan) is woken at once.
        foreach (var gone in _wokenAt.Keys.Where(k => !open.Contains(k)).ToList())
        {
            _wokenAt.Remove(gone);
        }
    }

    private void Report(IImmutableDictionary<Akka.Actor.Address, ShardRegionStats> regions)
    {
        var cluster = Akka.Cluster.Cluster.Get(Context.System);
        var state = cluster.State;
        var now = _node.Time.GetUtcNow();
        var members = state.Members.Select(m =>
        {
            var stats = regions.TryGetValue(m.Address, out var s) ? s.Stats : ImmutableDictionary<string, int>.Empty;
            return new ClusterMember(_region, m.Address.ToString(), string.Join(",", m.Roles.Order(StringComparer.Ordinal)),
                m.Status.ToString().ToLowerInvariant(), !state.Unreachable.Contains(m), stats.Count, stats.Values.Sum(), now);
        }).ToList();
        _store.ReportClusterAsync(_region, members).PipeTo(Self, success: () => new Reported(), failure: e => new Status.Failure(e));
    }

    private sealed record Tick
    {
        public static Tick Instance { get; } = new();
    }

    private sealed record Fed(IReadOnlyList<ShardInfo> Open);

    private sealed record FeedFailed(Exception Cause);

    private sealed record Reported;
}
