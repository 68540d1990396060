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
/// <para>
/// The operator's commands reach the entities as messages through it. <c>ctl</c> and the API write the census's new
/// state into the shared store (the coordinator is no cluster member, and regions are separate clusters: the store is
/// what they share); the row is the command, so what the operator sees and what the entities obey are one value, and a
/// region whose feeder was down obeys the latest state when it comes back. The feeder turns a change it sees into
/// <see cref="PauseShard"/> or <see cref="CancelShard"/> to every shard of that census it has woken (the entities that
/// may be at work); a resume needs no message of its own: the census's shards are open again and are woken at once. A
/// rescan is a target pending again under a newer scan generation: the feeder tells its shard's entity
/// <see cref="RescanTarget"/> once per generation it sees (an entity at work applies it at once; one at rest is started
/// by it). An entity that missed a message (a feeder that just moved) sees the state or the generation when it next
/// reads its plan. No command table: a log of commands would repeat what the state already says.
/// </para>
/// </summary>
public sealed class RegionFeeder : ReceiveActor, IWithTimers
{
    private const int ReportEveryTicks = 3;

    private readonly string _region;
    private readonly ICensusStore _store;
    private readonly NodeRuntime _node;
    private readonly IActorRef _shards;
    private readonly ClusterOptions _options;
    private readonly Dictionary<long, (Guid Census, long Tick)> _wokenAt = [];
    private readonly Dictionary<Guid, CensusState> _states = [];
    private readonly Dictionary<(long Shard, Guid Target), int> _rescansTold = [];
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
        var rescans = await _store.ListRescansAsync(_region).ConfigureAwait(false);
        var censuses = await _store.ListCensusesAsync().ConfigureAwait(false);
        await CompleteFinishedAsync(censuses).ConfigureAwait(false);
        return new Fed(open, rescans, censuses);
    }

    /// <summary>A running census whose every region recorded every planned target (and whose planning is over) is completed.</summary>
    private async Task CompleteFinishedAsync(IReadOnlyList<CensusInfo> censuses)
    {
        foreach (var census in censuses)
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
        Command(fed.Censuses);
        var open = new HashSet<long>();
        foreach (var shard in fed.Open)
        {
            open.Add(shard.ShardId);
            if (!_wokenAt.TryGetValue(shard.ShardId, out var at) || _tick - at.Tick >= _options.RewakeTicks)
            {
                _wokenAt[shard.ShardId] = (shard.CensusId, _tick);
                _shards.Tell(new WakeShard(shard.ShardId));
            }
        }

        // A shard done and opened again (a rescan) is woken at once.
        foreach (var gone in _wokenAt.Keys.Where(k => !open.Contains(k)).ToList())
        {
            _wokenAt.Remove(gone);
        }

        Rescan(fed.Rescans);
    }

    /// <summary>Each rescanned target pending under a generation not told yet, to its shard's entity. A feeder that just
    /// started tells every pending one again: the entity ignores a generation it already runs.</summary>
    private void Rescan(IReadOnlyList<PendingRescan> rescans)
    {
        var pending = new HashSet<(long, Guid)>();
        foreach (var rescan in rescans)
        {
            var key = (rescan.ShardId, rescan.TargetId);
            pending.Add(key);
            if (!_rescansTold.TryGetValue(key, out var told) || told < rescan.Generation)
            {
                _rescansTold[key] = rescan.Generation;
                _shards.Tell(new RescanTarget(rescan.ShardId, rescan.TargetId, rescan.Generation));
            }
        }

        foreach (var done in _rescansTold.Keys.Where(k => !pending.Contains(k)).ToList())
        {
            _rescansTold.Remove(done);
        }
    }

    /// <summary>Pause and cancel, seen as a change of the census's state since the last feed, to its woken shards.</summary>
    private void Command(IReadOnlyList<CensusInfo> censuses)
    {
        foreach (var census in censuses)
        {
            var before = _states.GetValueOrDefault(census.CensusId, census.State);
            _states[census.CensusId] = census.State;
            if (before == census.State || census.State is not (CensusState.Paused or CensusState.Cancelled))
            {
                continue;
            }

            var shards = _wokenAt.Where(w => w.Value.Census == census.CensusId).Select(w => w.Key).ToList();
            _node.Log($"census {census.Name} {census.State.ToString().ToLowerInvariant()}: telling {shards.Count} shard(s)");
            foreach (var shard in shards)
            {
                _shards.Tell(census.State == CensusState.Paused ? new PauseShard(shard) : new CancelShard(shard));
            }
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

    private sealed record Fed(IReadOnlyList<ShardInfo> Open, IReadOnlyList<PendingRescan> Rescans, IReadOnlyList<CensusInfo> Censuses);

    private sealed record FeedFailed(Exception Cause);

    private sealed record Reported;
}
