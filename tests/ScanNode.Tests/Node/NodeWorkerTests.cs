using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using XmppScanCluster.ScanNode.Actors;
using XmppScanCluster.ScanNode.Actors.Persistence;
using XmppScanCluster.ScanNode.Actors.Steps;
using XmppScanCluster.ScanNode.Node;
using XmppScanCluster.ScanNode.Tests.Actors;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Messages;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Tests.Node;

public class NodeWorkerTests
{
    private static readonly Guid Census = Guid.NewGuid();

    [Fact]
    public async Task LeasedShard_targetsScannedAndCompleted_shardCompleted_nodeExitsWhenDone_andGivesBack()
    {
        var store = new FakeStore(renewals: true, targets: 3);
        var worker = Worker(store, TimeSpan.Zero);

        await worker.RunAsync(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);

        Assert.Equal(3, store.CompletedTargets.Count);
        Assert.Equal(1, store.CompletedShards);
        Assert.Equal(3, worker.TargetsScanned);
        Assert.True(store.ReleasedAll);
        Assert.Equal(3, store.StoredEvents().Count(e => e.Event is DomainScanCompleted));
    }

    [Fact]
    public async Task LostLease_stopsTheShardsActors_andNeverCompletesIt()
    {
        var time = new FakeTimeProvider();
        var store = new FakeStore(renewals: false, targets: 2);
        var session = new SlowSession(TimeSpan.FromSeconds(1), time);
        var worker = Worker(store, session, time);
        using var stop = new CancellationTokenSource();
        var run = worker.RunAsync(stop.Token);

        // A session waits on the fake clock; the renewal (every lease/3 = 100 ms) is due long before it ends.
        await session.Started.Task.WaitAsync(TimeSpan.FromSeconds(60));
        time.Advance(TimeSpan.FromMilliseconds(100));

        // The refused renewal must cancel the running session before anything else stops the node; without the
        // lost-lease logic the session would run on (the timeout only guards against a hang).
        await session.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(60));
        for (var i = 0; i < 20; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100)); // well past the session's 1 s: nothing may finish late
            await Task.Yield();
        }

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Empty(store.CompletedTargets);
        Assert.Equal(0, store.CompletedShards);
        Assert.Equal(1, store.Renewals);
        Assert.DoesNotContain(store.StoredEvents(), e => e.Event is TargetScanCompleted);
    }

    private static NodeWorker Worker(FakeStore store, TimeSpan sessionTime) => Worker(store, new SlowSession(sessionTime), null);

    private static NodeWorker Worker(FakeStore store, SlowSession session, TimeProvider? time) =>
        new(store, new NodeOptions
        {
            NodeId = "node-1", Region = "eu", TargetsInFlight = 4, LeaseDuration = TimeSpan.FromMilliseconds(300),
            PollInterval = TimeSpan.FromMilliseconds(50), ExitWhenCensusDone = Census,
        }, TextWriter.Null, time, contexts: _ => new CensusScanContext([XmppMode.C2S],
            new ScanStepRegistry(new OneEndpointDiscovery(), [session]),
            new StepRunner(PolitenessSettings.CensusDefault), Blocklist.Empty));

    private sealed class OneEndpointDiscovery : IScanStep
    {
        public string Name => "discover";

        public Task<StepOutcome> RunAsync(StepInput input, CancellationToken ct) =>
            Task.FromResult(new StepOutcome(StepStatus.Completed, null, TargetFacts.Discovered(1, input.Mode).Facts));
    }

    private sealed class SlowSession(TimeSpan time, TimeProvider? clock = null) : IScanStep
    {
        public string Name => "session";

        /// <summary>Set once a session waits on its clock.</summary>
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Set once a session was cancelled while waiting.</summary>
        public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<StepOutcome> RunAsync(StepInput input, CancellationToken ct)
        {
            var wait = Task.Delay(time, clock ?? TimeProvider.System, ct);
            Started.TrySetResult();
            try
            {
                await wait;
            }
            catch (OperationCanceledException)
            {
                Cancelled.TrySetResult();
                throw;
            }

            return StepOutcome.Done(new EndpointSessionObserved(input.Mode, 0, TargetFacts.Report(0)));
        }
    }

    private sealed class FakeStore(bool renewals, int targets) : INodeStore
    {
        private readonly List<NodeTarget> _targets = Enumerable.Range(0, targets)
            .Select(i => new NodeTarget(Guid.NewGuid(), $"d{i}.example", true)).ToList();
        private int _leased;

        private readonly string _dir = Directory.CreateTempSubdirectory("xmppscan-node-").FullName;

        public (string Engine, string Target) Persistence => ("sqlite", Path.Combine(_dir, "census.db"));

        /// <summary>Every event the node's target actors persisted for the census, read back by census tag.</summary>
        public IReadOnlyList<CensusLogEntry> StoredEvents()
        {
            var log = CensusEventLog.Open(Persistence.Engine, Persistence.Target);
            try
            {
                return log.ReadAsync(Census, 0, 10_000).GetAwaiter().GetResult();
            }
            finally
            {
                log.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }

        public ConcurrentBag<Guid> CompletedTargets { get; } = [];

        public int CompletedShards { get; private set; }

        public int Renewals { get; private set; }

        public bool ReleasedAll { get; private set; }

        public Task RegisterAsync(string nodeId, string region, CancellationToken ct) => Task.CompletedTask;

        public Task<bool> HeartbeatAsync(string nodeId, CancellationToken ct) => Task.FromResult(true);

        public Task<IReadOnlyList<NodeLease>> LeaseAsync(string nodeId, string region, int max, TimeSpan duration, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<NodeLease>>(Interlocked.Exchange(ref _leased, 1) == 0
                ? [new NodeLease(1, Census, region, "192.0.2.10", nodeId, 1, DateTimeOffset.UtcNow + duration)]
                : []);

        public Task<NodeLease?> RenewAsync(NodeLease lease, TimeSpan duration, CancellationToken ct)
        {
            Renewals++;
            return Task.FromResult(renewals ? lease with { ExpiresAt = DateTimeOffset.UtcNow + duration } : null);
        }

        public Task<bool> ReleaseAsync(NodeLease lease, CancellationToken ct) => Task.FromResult(renewals);

        public Task ReleaseAllAsync(string nodeId, CancellationToken ct)
        {
            ReleasedAll = true;
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<NodeTarget>> TargetsAsync(NodeLease lease, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<NodeTarget>>(_targets);

        public Task<bool> CompleteTargetAsync(NodeLease lease, Guid targetId, bool failed, CancellationToken ct)
        {
            CompletedTargets.Add(targetId);
            return Task.FromResult(true);
        }

        public Task<bool> CompleteShardAsync(NodeLease lease, CancellationToken ct)
        {
            CompletedShards++;
            return Task.FromResult(true);
        }

        public Task<CensusSettings> SettingsAsync(Guid censusId, CancellationToken ct) =>
            Task.FromResult(new CensusSettings(["c2s"], [], [], false, 5, PolitenessSettings.CensusDefault, []));

        public Task<bool> IsCensusFinishedAsync(Guid censusId, string region, CancellationToken ct) =>
            Task.FromResult(CompletedTargets.Count == targets);

        public Task PutAsync(IReadOnlyList<byte[]> ders, CancellationToken ct) => Task.CompletedTask;

        public Task<byte[]?> GetAsync(string sha256, CancellationToken ct) => Task.FromResult<byte[]?>(null);
    }
}
