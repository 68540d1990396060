using Akka.Actor;
using Akka.Cluster.Sharding;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.ScanNode.Actors;
using XmppScanCluster.ScanNode.Actors.Persistence;
using XmppScanCluster.ScanNode.Metrics;
using XmppScanCluster.ScanNode.Node;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Messages;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.Coordinator.Cluster;

/// <summary>
/// One address shard of a census in this region as a Cluster.Sharding entity: every domain of one server address (or
/// /24) lives here, so the per-IP limit, spacing and back-off of the node hosting it hold cluster-wide (an address the
/// node's DNS gives outside this plan takes its permits from the region's gate of it, <see cref="RegionPermits"/>). It reads its
/// targets from the store, runs each pending one as a child <see cref="TargetActor"/> (one slot of the node's
/// <see cref="TargetSlots"/> each), records each outcome in the store under the target's scan generation, and
/// passivates when nothing is pending. The operator's pause, cancel and rescan arrive as <see cref="PauseShard"/>,
/// <see cref="CancelShard"/> (AddressShardEntity.Commands.cs) and <see cref="RescanTarget"/>
/// (AddressShardEntity.Rescan.cs), and are applied from the plan too when a message was missed. Errors of a target
/// (not server behaviour) are retried, then the target is given up as failed.
/// </summary>
public sealed partial class AddressShardEntity : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MaxJournalRetryAfter = TimeSpan.FromMinutes(2);

    private readonly long _shardId;
    private readonly NodeRuntime _node;
    private readonly IActorRef _slots;
    private readonly Dictionary<Guid, Work> _work = [];
    private readonly Dictionary<IActorRef, Guid> _children = [];
    private readonly Dictionary<Guid, int> _errors = [];
    private readonly Dictionary<Guid, int> _journalFailures = [];
    private Plan? _plan;
    private int _lanes = 1;
    private bool _loading;
    private bool _loadAgain;
    private bool _passivating;
    private long _loads;

    public AddressShardEntity(long shardId, NodeRuntime node, IActorRef slots)
    {
        _shardId = shardId;
        _node = node;
        _slots = slots;
        Receive<WakeShard>(_ => Load());
        Receive<PauseShard>(_ => Halt(cancel: false));
        Receive<CancelShard>(_ => Halt(cancel: true));
        Receive<RescanTarget>(OnRescan);
        Receive<Reload>(_ => Load());
        Receive<Plan>(OnPlan);
        Receive<LoadFailed>(f =>
        {
            _loading = false;
            _node.Log($"shard {_shardId}: store not readable, retrying: {f.Cause.Message}");
            Timers.StartSingleTimer("load", Reload.Instance, RetryAfter);
        });
        Receive<TargetSlots.SlotGranted>(OnGranted);
        Receive<TargetFinished>(OnFinished);
        Receive<TargetStopped>(OnStopped);
        Receive<Recorded>(OnRecorded);
        Receive<RecordFailed>(f =>
        {
            _node.Log($"shard {_shardId}: recording a target failed, retrying: {f.Cause.Message}");
            Timers.StartSingleTimer(("record", f.Target), new Record(f.Target, f.Outcome), RetryAfter);
        });
        Receive<Record>(r => RecordAsync(r.Target, r.Outcome));
        Receive<Retry>(r =>
        {
            if (_work.TryGetValue(r.Target, out var w) && w.Child is null && !w.Recording)
            {
                _slots.Tell(new TargetSlots.RequestSlot(r.Target, _lanes));
            }
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string entityId, NodeRuntime node, IActorRef slots) =>
        ShardEntityIds.TryParse(entityId, out var id)
            ? Akka.Actor.Props.Create(() => new AddressShardEntity(id, node, slots))
            : throw new ArgumentException($"'{entityId}' is not a shard entity id", nameof(entityId));

    protected override void PreStart()
    {
        NodeMetrics.ShardEntitiesAlive.Add(1);
        Load();
    }

    protected override void PostStop()
    {
        NodeMetrics.ShardEntitiesAlive.Add(-1);
        if (_plan is { Census: { } census })
        {
            _node.Planned.Unregister(census.CensusId, _shardId, _plan.Targets.Select(t => t.Domain));
        }
    }

    private void Load()
    {
        if (_loading)
        {
            _loadAgain = true;
            return;
        }

        _loading = true;
        LoadAsync(_node.Store, _shardId, ++_loads).PipeTo(Self, failure: e => new LoadFailed(e));
    }

    private static async Task<Plan> LoadAsync(ICensusStore store, long shardId, long number)
    {
        var shard = await store.GetShardAsync(shardId).ConfigureAwait(false);
        var census = shard is null ? null : await store.GetCensusAsync(shard.CensusId).ConfigureAwait(false);
        var targets = census is null ? [] : await store.GetShardTargetsAsync(shardId).ConfigureAwait(false);
        return new Plan(shard, census, targets, number);
    }

    private void OnPlan(Plan plan)
    {
        _loading = false;
        _plan = plan;
        if (_passivating)
        {
            return;
        }

        if (plan.Shard is null || plan.Census is null)
        {
            _node.Log($"shard {_shardId}: not in the store");
            Passivate();
            return;
        }

        // What this entity owns: its domains' connections to other addresses take their permits from the region's gates.
        _node.Planned.Register(plan.Census.CensusId, _shardId, plan.Targets);
        _lanes = Lanes(plan);
        if (plan.Census.State is CensusState.Paused or CensusState.Cancelled)
        {
            // The state read before the feeder's message came (or a feeder that moved missed the change): same effect.
            Halt(cancel: plan.Census.State == CensusState.Cancelled);
        }
        else if (plan.Census.State == CensusState.Running && plan.Number > _haltedAtLoad)
        {
            foreach (var target in plan.Targets.Where(t => t.Status == TargetStatus.Pending))
            {
                if (_work.TryGetValue(target.TargetId, out var busy))
                {
                    // A rescan whose message this entity missed (it was elsewhere, or the feeder moved): same effect.
                    Rescan(busy, target.Generation);
                    continue;
                }

                _work[target.TargetId] = new Work(target.TargetId, target.Domain, target.Generation);
                _slots.Tell(new TargetSlots.RequestSlot(target.TargetId, _lanes));
            }
        }

        if (_loadAgain)
        {
            _loadAgain = false;
            Load();
        }
        else if (_work.Count == 0)
        {
            Passivate();
        }
    }

    /// <summary>How many of this shard's targets the node's slots may run at once: enough to keep each of its planned
    /// addresses busy at the census's connections per address and spacing (<see cref="InFlightSizing.Lanes"/>), no more.
    /// (Settings stored without politeness, as some tests store them, read as the census default.)</summary>
    private static int Lanes(Plan plan)
    {
        var addresses = plan.Targets.SelectMany(t => t.Addresses).Distinct(StringComparer.Ordinal).Count();
        var politeness = CensusSettings.FromJson(plan.Census!.SettingsJson).Politeness ?? PolitenessSettings.CensusDefault;
        return InFlightSizing.Lanes(addresses, politeness.MaxConnectionsPerIp, TimeSpan.FromSeconds(politeness.MinSpacingSeconds));
    }

    private void OnGranted(TargetSlots.SlotGranted granted)
    {
        if (!_work.TryGetValue(granted.Target, out var work) || work.Child is not null || work.Recording
            || _plan?.Census is not { } census || _plan.Shard is not { } shard
            || (census.State != CensusState.Running && work.AbandonReason is null))
        {
            _slots.Tell(new TargetSlots.ReleaseSlot(granted.Target));
            if (work is { Child: null, Recording: false })
            {
                _work.Remove(granted.Target);
                PassivateIfIdle();
            }

            return;
        }

        StartChild(work, census, shard);
    }

    /// <summary>Runs the target (or gives it up, <see cref="Work.AbandonReason"/>) in a child, in the slot it holds.</summary>
    private void StartChild(Work work, CensusInfo census, ShardInfo shard)
    {
        var context = _node.ContextFor(census);
        var stream = TargetStreams.For(work.TargetId, shard.Region, work.Generation);
        var child = Context.ActorOf(TargetActor.Props(TargetPersistenceIds.For(census.CensusId, stream), context.Steps, context.Runner, Self));
        work.Child = child;
        _children[child] = work.TargetId;
        child.Tell(work.AbandonReason is { } reason
            ? new AbandonTargetScan(reason)
            : new StartTargetScan(work.TargetId, work.Domain, context.Modes, context.Steps.EndpointStepNames));
    }

    private void OnFinished(TargetFinished finished)
    {
        if (!_children.Remove(Sender, out var id) || !_work.TryGetValue(id, out var work))
        {
            return;
        }

        work.Child = null;
        _node.CountTarget(finished.StepsRun);
        if (!finished.State.Started)
        {
            // Given up before its first event (cancelled while starting): nothing to record, it stays pending.
            _work.Remove(id);
            _slots.Tell(new TargetSlots.ReleaseSlot(id));
            PassivateIfIdle();
            return;
        }

        work.Recording = true;
        RecordAsync(id, finished.State.Outcome == ProbeStatus.Failed ? TargetOutcome.Failed : TargetOutcome.Done);
    }

    private void RecordAsync(Guid target, TargetOutcome outcome)
    {
        if (!_work.TryGetValue(target, out var work))
        {
            return;
        }

        _node.Store.CompleteTargetAsync(_shardId, target, work.Generation, outcome)
            .PipeTo(Self, success: stored => new Recorded(target, stored), failure: e => new RecordFailed(target, outcome, e));
    }

    private void OnRecorded(Recorded recorded)
    {
        if (_work.Remove(recorded.Target, out var work))
        {
            _slots.Tell(new TargetSlots.ReleaseSlot(recorded.Target));
            _errors.Remove(recorded.Target);
            _journalFailures.Remove(recorded.Target);
            _node.Options.Progress?.TargetFinished(work.Domain);
        }

        // The plan is read again only when it may say something new: the store refused the record (a rescan made a newer
        // generation pending while this one was recorded: the reload starts it), or this was the last target in hand
        // (a rescan whose message was missed, or nothing pending: the shard is done). Not after every target: a reload
        // reads all the shard's targets, so reloading per record made an address of n domains cost O(n²) — 4.6 million
        // target rows read for the 10,000-domain federation (its largest address hosts 1,765 domains).
        if (!recorded.Stored || _work.Count == 0)
        {
            Load();
        }
    }

    private void OnStopped(TargetStopped stopped)
    {
        if (!_children.Remove(Sender, out var id) || !_work.TryGetValue(id, out var work))
        {
            return;
        }

        work.Child = null;
        _node.CountTarget(stopped.StepsRun);
        if (work.Stopping && _plan is { Census: { } census, Shard: { } shard })
        {
            // Stopped by a cancel: record it as given up, in the slot it still holds.
            work.Stopping = false;
            StartChild(work, census, shard);
            return;
        }

        _slots.Tell(new TargetSlots.ReleaseSlot(id));
        var cause = stopped.Cause;
        if (work.AbandonReason is not null)
        {
            // Even giving up failed: leave it to the next wake. (A write that met another writer's events of the stream,
            // possible only in a split brain, fails the journal's unique key: the retry replays them and continues.)
            _node.Log($"{work.Domain}: {cause.GetType().Name}: {cause.Message}; left for later");
            _work.Remove(id);
            PassivateIfIdle();
            return;
        }

        if (stopped.JournalFailed)
        {
            // The census's journal failed, not the target: a write or replay timed out or met the journal's open circuit
            // breaker (an embedded SQLite journal with 200 targets in flight at load 60+ did, bench/federation: 509 of
            // 5,000 targets were given up as "scanner error"). Never counted against the target — recording it failed
            // would blame the server without proof — but retried after a growing pause that lets the journal recover.
            var failures = _journalFailures[id] = _journalFailures.GetValueOrDefault(id) + 1;
            var pause = JournalRetryAfter(failures);
            _node.Log($"{work.Domain}: the journal failed ({cause.GetType().Name}: {cause.Message}); retried in {pause.TotalSeconds:0} s");
            Timers.StartSingleTimer(("retry", id), new Retry(id), pause);
            return;
        }

        var errors = _errors[id] = _errors.GetValueOrDefault(id) + 1;
        if (errors < _node.Options.MaxTargetErrors)
        {
            _node.Log($"{work.Domain}: {cause.GetType().Name}: {cause.Message}; will be retried");
        }
        else
        {
            // A bug must not keep a census from ending: record the target as failed, with the error as the reason.
            _node.Log($"{work.Domain}: {cause.GetType().Name}: {cause.Message}; failed {errors} times, given up");
            work.AbandonReason = new ProbeFailure(FailureKind.Cancelled, $"scanner error, target given up: {cause.GetType().Name}: {cause.Message}");
        }

        Timers.StartSingleTimer(("retry", id), new Retry(id), RetryAfter);
    }

    /// <summary>The pause before the <paramref name="failures"/>th retry of a target the journal failed: 5 s doubling to
    /// 2 min, so many targets in flight back off together instead of hammering a journal that is behind.</summary>
    internal static TimeSpan JournalRetryAfter(int failures) =>
        TimeSpan.FromTicks(Math.Min(RetryAfter.Ticks << Math.Min(failures - 1, 10), MaxJournalRetryAfter.Ticks));

    private void PassivateIfIdle()
    {
        if (_work.Count == 0 && !_loading)
        {
            Passivate();
        }
    }

    private void Passivate()
    {
        if (!_passivating)
        {
            _passivating = true;
            Context.Parent.Tell(new Passivate(PoisonPill.Instance));
        }
    }

    private sealed class Work(Guid targetId, string domain, int generation)
    {
        public Guid TargetId { get; } = targetId;

        public string Domain { get; } = domain;

        public int Generation { get; set; } = generation;

        public IActorRef? Child { get; set; }

        public bool Recording { get; set; }

        public ProbeFailure? AbandonReason { get; set; }

        /// <summary>Its child was stopped by a cancel and is given up once it has stopped.</summary>
        public bool Stopping { get; set; }
    }

    // Number: which load read it; a plan read before a pause or cancel does not start targets.
    private sealed record Plan(ShardInfo? Shard, CensusInfo? Census, IReadOnlyList<ShardTarget> Targets, long Number);

    private sealed record LoadFailed(Exception Cause);

    private sealed record Reload
    {
        public static Reload Instance { get; } = new();
    }

    private sealed record Record(Guid Target, TargetOutcome Outcome);

    /// <summary>The store answered a record: <paramref name="Stored"/> false when it did not take the outcome (the target's
    /// generation changed, or it is no longer pending).</summary>
    /// <param name="Target">The target recorded.</param>
    /// <param name="Stored">Whether the store took the outcome.</param>
    private sealed record Recorded(Guid Target, bool Stored);

    private sealed record RecordFailed(Guid Target, TargetOutcome Outcome, Exception Cause);

    private sealed record Retry(Guid Target);
}
