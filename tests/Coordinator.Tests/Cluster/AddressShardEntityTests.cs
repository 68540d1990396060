using System.Net;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Configuration;
using XmppScanCluster.Coordinator.Cluster;
using XmppScanCluster.Coordinator.Store;
using XmppScanCluster.Coordinator.Tests.Support;
using XmppScanCluster.ScanNode.Actors;
using XmppScanCluster.ScanNode.Actors.Persistence;
using XmppScanCluster.ScanNode.Actors.Steps;
using XmppScanCluster.ScanNode.Node;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Messages;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.Coordinator.Tests.Cluster;

/// <summary>
/// The address-shard entity on a real SQLite census store (its targets, completion and the target actors' journal),
/// in a TestKit actor system on Akka's virtual clock, with steps that do no I/O and a discover step the test opens when
/// it wants: what the entity does with its targets, its node's slots, the operator's commands. Nothing here is timed:
/// each test waits for the entity's passivation or a step to be entered.
/// </summary>
public sealed partial class AddressShardEntityTests : Akka.TestKit.Xunit2.TestKit, IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly string _dir;
    private readonly ICensusStore _store;
    private readonly GatedDiscover _discover = new();

    public AddressShardEntityTests() : this(Directory.CreateTempSubdirectory("xmppscan-entity-").FullName)
    {
    }

    private AddressShardEntityTests(string dir) : this(dir, StoreFactory.OpenAsync("sqlite:" + Path.Combine(dir, "entity.db")).GetAwaiter().GetResult())
    {
    }

    // The target actors persist next to the store through Akka.Persistence.Sql, as on a node.
    private AddressShardEntityTests(string dir, ICensusStore store)
        : base(BootstrapSetup.Create()
            .WithConfig(ConfigurationFactory.ParseString("akka.scheduler.implementation = \"Akka.TestKit.TestScheduler, Akka.TestKit\"")
                .WithFallback(CensusPersistence.For(store.Location.Engine, store.Location.Target)).WithFallback(NodeActorConfig.Config))
            .And(CensusPersistence.Connections(store.Location.Engine, store.Location.Target))
            .And(new NodeSetup(TimeProvider.System))
            .And(new WriterSetup("node-1", "eu")), "entity-tests")
    {
        _dir = dir;
        _store = store;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        Shutdown();
        await _store.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task TwoTargetsOfOneAddress_oneSlot_runOneAfterTheOther_areRecordedDone_andTheEntityPassivates()
    {
        var (census, shard) = await PlanAsync("a.example", "b.example");
        _discover.Open();
        var slots = Sys.ActorOf(TargetSlots.Props(1));
        StartEntity(shard, slots);

        ExpectMsg<Passivate>(Wait);
        Assert.Equal(1, _discover.MostAtOnce);
        Assert.True((await _store.GetShardAsync(shard))!.Done);
        var progress = Assert.Single(await _store.GetProgressAsync(census));
        Assert.Equal((2, 0, 0), (progress.TargetsDone, progress.TargetsFailed, progress.TargetsRemaining));
        var journal = await _store.ReadAllAsync(census);
        Assert.Equal(2, journal.Count(e => e.Type == TargetScanCompleted.TypeName));
        Assert.All(journal, e => Assert.Equal(("node-1", "eu"), (e.NodeId, e.Region)));
        slots.Tell(new TargetSlots.GetSlotUse());
        Assert.Equal(new TargetSlots.SlotUse(0, 0), ExpectMsg<TargetSlots.SlotUse>(Wait));
    }

    [Fact]
    public async Task CancelledCensusSeenInItsPlan_theTargetInFlightIsStoppedAndRecordedFailed_theWaitingOneStaysPending()
    {
        var (census, shard) = await PlanAsync("a.example", "b.example");
        var slots = Sys.ActorOf(TargetSlots.Props(1));
        var entity = StartEntity(shard, slots);
        await _discover.Entered.WaitAsync(Wait);

        await _store.SetCensusStateAsync(census, CensusState.Cancelled);
        entity.Tell(new WakeShard(shard));

        ExpectMsg<Passivate>(Wait);
        var progress = Assert.Single(await _store.GetProgressAsync(census));
        Assert.Equal((0, 1, 1), (progress.TargetsDone, progress.TargetsFailed, progress.TargetsRemaining));
        Assert.Single(await _store.ReadAllAsync(census), e => e.Type == TargetScanCompleted.TypeName);
        AwaitAssert(() =>
        {
            slots.Tell(new TargetSlots.GetSlotUse());
            Assert.Equal(new TargetSlots.SlotUse(0, 0), ExpectMsg<TargetSlots.SlotUse>(Wait));
        }, Wait);
    }

    private async Task<(Guid Census, long Shard)> PlanAsync(params string[] domains)
    {
        var census = await _store.CreateCensusAsync(new CensusDefinition("entity", "{}", "ssllabs-2009r", ["eu"]));
        var added = await _store.AddTargetsAsync(census.CensusId, domains);
        await _store.PlanShardsAsync(census.CensusId,
            [.. added.Added.Select(t => new TargetEndpoints(t.TargetId, [IPAddress.Parse("192.0.2.7")]))], ShardKeyPolicy.PerAddress);
        return (census.CensusId, Assert.Single(await _store.ListOpenShardsAsync("eu")).ShardId);
    }

    /// <summary>The entity under a stand-in for its sharding Shard, which tells the test of a passivation and stops it.</summary>
    private IActorRef StartEntity(long shard, IActorRef slots, int maxTargetErrors = 3, TextWriter? log = null, ICensusStore? store = null)
    {
        var steps = new ScanStepRegistry(_discover, [new Session()]);
        var context = new CensusScanContext([XmppMode.C2S], steps, new StepRunner(PolitenessSettings.CensusDefault), Blocklist.Parse([], out _));
        var options = new NodeOptions { NodeId = "node-1", Region = "eu", MaxTargetErrors = maxTargetErrors };
        var node = new NodeRuntime(store ?? _store, options, log ?? TextWriter.Null, contexts: _ => context);
        var probe = TestActor;
        var parent = Sys.ActorOf(Props.Create(() => new FakeShard(AddressShardEntity.Props(ShardEntityIds.For(shard), node, slots), probe)));
        parent.Tell(FakeShard.GetEntity.Instance, probe);
        return ExpectMsg<IActorRef>(Wait);
    }

    private sealed class FakeShard : ReceiveActor
    {
        public sealed record GetEntity
        {
            public static GetEntity Instance { get; } = new();
        }

        public FakeShard(Props entity, IActorRef probe)
        {
            var child = Context.ActorOf(entity, "entity");
            Receive<GetEntity>(_ => Sender.Tell(child));
            Receive<Passivate>(p =>
            {
                probe.Tell(p);
                Context.Stop(child);
            });
        }
    }

    /// <summary>Discovery of one endpoint on 192.0.2.7, held until the test opens it (domains let <see cref="Through"/>
    /// are not held); counts how many run at once, how often it was entered and how often cancelled.</summary>
    private sealed class GatedDiscover : IScanStep
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _enteredTwice = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly HashSet<string> _through = [];
        private int _running;
        private int _most;
        private int _entries;
        private int _cancelled;

        public string Name => "discover";

        public Task Entered => _entered.Task;

        public Task EnteredTwice => _enteredTwice.Task;

        public int MostAtOnce => Volatile.Read(ref _most);

        public int Cancelled => Volatile.Read(ref _cancelled);

        public void Open() => _open.TrySetResult();

        public void Through(string domain)
        {
            lock (_through)
            {
                _through.Add(domain);
            }
        }

        public async Task<StepOutcome> RunAsync(StepInput input, CancellationToken ct)
        {
            var now = Interlocked.Increment(ref _running);
            InterlockedMax(ref _most, now);
            _entered.TrySetResult();
            if (Interlocked.Increment(ref _entries) == 2)
            {
                _enteredTwice.TrySetResult();
            }

            try
            {
                bool held;
                lock (_through)
                {
                    held = !_through.Contains(input.Domain);
                }

                if (held)
                {
                    await _open.Task.WaitAsync(ct);
                }

                return EntitySteps.Discovered(input);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref _cancelled);
                throw;
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
            {
            }
        }
    }

    private sealed class Session : IScanStep
    {
        public string Name => "session";

        public Task<StepOutcome> RunAsync(StepInput input, CancellationToken ct) => Task.FromResult(EntitySteps.Observed(input));
    }
}
