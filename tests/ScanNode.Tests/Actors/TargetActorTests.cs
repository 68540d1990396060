using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using XmppScanCluster.ScanNode.Actors;
using XmppScanCluster.ScanNode.Actors.Persistence;
using XmppScanCluster.ScanNode.Actors.Steps;
using XmppScanCluster.ScanNode.Metrics;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Messages;
using XmppScanCluster.Shared.Model;
using static XmppScanCluster.ScanNode.Tests.Actors.TargetFacts;

namespace XmppScanCluster.ScanNode.Tests.Actors;

/// <summary>
/// The target actor in a TestKit actor system configured as the node's (<see cref="CensusPersistence"/> on a SQLite
/// events file of its own per test, <see cref="NodeActorConfig"/>: the event serializer) on Akka's virtual clock
/// (<c>TestScheduler</c>): nothing here is timed; each test waits for the actor's one answer.
/// </summary>
public class TargetActorTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly Guid CensusId = Guid.NewGuid();
    private static readonly Guid StreamId = Guid.NewGuid();
    private static readonly string Pid = TargetPersistenceIds.For(CensusId, StreamId);
    private static readonly TimeSpan Answer = TimeSpan.FromSeconds(60);
    private readonly StoredStream _journal;

    public TargetActorTests() : this(new StoredStream(CensusId, StreamId))
    {
    }

    private TargetActorTests(StoredStream journal) : base(Setup(journal), "target-actor-tests") => _journal = journal;

    private static ActorSystemSetup Setup(StoredStream journal) =>
        BootstrapSetup.Create()
            .WithConfig(ConfigurationFactory.ParseString("akka.scheduler.implementation = \"Akka.TestKit.TestScheduler, Akka.TestKit\"")
                .WithFallback(CensusPersistence.For("sqlite", journal.CensusFile)).WithFallback(NodeActorConfig.Config))
            .And(CensusPersistence.Connections("sqlite", journal.CensusFile))
            .And(new NodeSetup(TimeProvider.System)).And(new WriterSetup("node-1", "eu"));

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _journal.Dispose();
        }
    }

    [Fact]
    public void FreshTarget_runsEveryStep_andPersistsOneReport_throughAkkaPersistenceSql_tagged()
    {
        var (steps, session) = Steps(endpoints: 2);
        using var metrics = new PrometheusText(NodeMetrics.MeterName);

        var finished = Run(steps, new StepRunner(PolitenessSettings.CensusDefault), Start()).Should<TargetFinished>();

        Assert.True(finished.State.Completed);
        Assert.Equal(2, session.Runs);
        Assert.Equal(3, finished.StepsRun); // discover + two sessions
        var events = _journal.Events;
        Assert.Single(events, e => e.Type == "domain_scan_completed");
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.All(events, e => Assert.Equal((CensusId, StreamId, "node-1", "eu"), (e.CensusId, e.TargetId, e.NodeId, e.Region)));
        Assert.Equal(("target_scan_started", 1), (events[0].Type, events[0].SchemaVersion));
        Assert.Equal("example.org", events[0].Payload.GetProperty("domain").GetString());

        // Other tests in this process count too: at least this target's work is in the node's counters.
        var counters = Counters(metrics.Render());
        Assert.True(counters["xmppscan_events_written_total"] >= events.Count);
        Assert.True(counters["xmppscan_steps_total{status=\"completed\",step=\"session\"}"] >= 2);
        Assert.True(counters["xmppscan_targets_finished_total{outcome=\"completed\"}"] >= 1);
        Assert.Contains("xmppscan_target_actors", counters.Keys);
    }

    private static Dictionary<string, long> Counters(string prometheusText) =>
        prometheusText.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#'))
            .Select(l => l.Split(' ')).ToDictionary(p => p[0], p => long.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void CrashDuringSecondSession_newActorContinuesThere_withoutRedoingDiscoveryOrFirstSession()
    {
        var (steps, session) = Steps(endpoints: 3);
        session.FailOnRun = 2;
        var stopped = Run(steps, new StepRunner(PolitenessSettings.CensusDefault), Start()).Should<TargetStopped>();
        Assert.IsType<IOException>(stopped.Cause);

        var resumed = Run(steps, new StepRunner(PolitenessSettings.CensusDefault), Start()).Should<TargetFinished>();

        Assert.True(resumed.State.Completed);
        Assert.Equal(1, ((FakeDiscover)steps.Discover).Runs);
        Assert.Equal(2, resumed.StepsRun); // sessions on endpoints 1 and 2 only
        Assert.Single(_journal.Events, e => e.Type == "domain_scan_completed");
    }

    [Fact]
    public void CompletedTarget_rerun_runsNothing()
    {
        var (steps, session) = Steps(endpoints: 1);
        Run(steps, new StepRunner(PolitenessSettings.CensusDefault), Start()).Should<TargetFinished>();
        var count = _journal.Events.Count;

        var again = Run(steps, new StepRunner(PolitenessSettings.CensusDefault), Start()).Should<TargetFinished>();

        Assert.Equal(0, again.StepsRun);
        Assert.Equal(count, _journal.Events.Count);
        Assert.Equal(1, session.Runs);
    }

    [Fact]
    public void ThrottledStep_backsOffAndRetries_thenIsInconclusive()
    {
        var (steps, session) = Steps(endpoints: 1);
        session.ThrottleAlways = true;
        var feedback = new RecordingThrottle();

        var finished = Run(steps, new StepRunner(new PolitenessSettings(1, 0, 0.5, 3), feedback), Start()).Should<TargetFinished>();

        Assert.Equal(3, session.Runs);
        Assert.Equal([0.5, 1.0, 2.0], feedback.Waits.Select(w => w.TotalSeconds));
        var step = finished.State.Mode(XmppMode.C2S).Done[("session", 0)];
        Assert.Equal(StepStatus.Inconclusive, step.Status);
        Assert.Equal(3, step.Attempts);
    }

    [Fact]
    public void AbandonOfAHalfDoneTarget_completesItAsFailed_withTheReason()
    {
        var (steps, session) = Steps(endpoints: 2);
        session.FailOnRun = 1;
        Run(steps, new StepRunner(PolitenessSettings.CensusDefault), Start()).Should<TargetStopped>();

        var reason = new ProbeFailure(FailureKind.Cancelled, "scanner error, target given up");
        var finished = Run(steps, new StepRunner(PolitenessSettings.CensusDefault), new AbandonTargetScan(reason)).Should<TargetFinished>();

        Assert.True(finished.State.Completed);
        Assert.Equal(0, finished.StepsRun);
        var events = _journal.Events;
        Assert.Equal(["domain_scan_completed", "target_scan_completed"], events.TakeLast(2).Select(e => e.Type));
        Assert.Equal("failed", events[^1].Payload.GetProperty("status").GetString());
    }

    /// <summary>Starts a target actor, tells it <paramref name="command"/> and returns its one answer.</summary>
    private Answered Run(ScanStepRegistry steps, StepRunner runner, ITargetCommand command)
    {
        var probe = CreateTestProbe();
        var actor = Sys.ActorOf(TargetActor.Props(Pid, steps, runner, probe.Ref));
        probe.Watch(actor);
        actor.Tell(command);
        var answer = probe.ReceiveOne(Answer);
        probe.ExpectTerminated(actor, Answer);
        return new Answered(answer);
    }

    private sealed record Answered(object? Message)
    {
        public T Should<T>() => Message is T typed
            ? typed
            : throw new Xunit.Sdk.XunitException($"expected {typeof(T).Name}, got {Message}");
    }

    private static (ScanStepRegistry Steps, FakeSession Session) Steps(int endpoints)
    {
        var session = new FakeSession();
        return (new ScanStepRegistry(new FakeDiscover(endpoints), [session]), session);
    }

    /// <summary>The test's events file (a census file's sibling in a directory of its own) and the target's stream
    /// read back through Persistence.Query as envelopes.</summary>
    internal sealed class StoredStream(Guid censusId, Guid streamId) : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("xmppscan-actor-").FullName;

        public string CensusFile => Path.Combine(_dir, "census.db");

        public IReadOnlyList<EventEnvelope> Events
        {
            get
            {
                var log = CensusEventLog.Open("sqlite", CensusFile);
                try
                {
                    return [.. log.ReadStreamAsync(censusId, streamId).GetAwaiter().GetResult().Select(e =>
                        EventTypeRegistry.Default.CreateUntyped(e.Event, new EventOrigin(censusId, streamId, e.NodeId, e.Region),
                            e.SequenceNr, e.OccurredAt))];
                }
                finally
                {
                    log.DisposeAsync().AsTask().GetAwaiter().GetResult();
                }
            }
        }

        public void Dispose() => Directory.Delete(_dir, recursive: true);
    }

    private sealed class FakeDiscover(int endpoints) : IScanStep
    {
        public int Runs { get; private set; }

        public string Name => "discover";

        public Task<StepOutcome> RunAsync(StepInput input, CancellationToken ct)
        {
            Runs++;
            return Task.FromResult(Discovered(endpoints, input.Mode) is var r ? new StepOutcome(r.Status, null, r.Facts) : null!);
        }
    }

    private sealed class FakeSession : IScanStep
    {
        public int Runs { get; private set; }

        public int FailOnRun { get; set; } = -1;

        public bool ThrottleAlways { get; set; }

        public string Name => "session";

        public Task<StepOutcome> RunAsync(StepInput input, CancellationToken ct)
        {
            Runs++;
            if (Runs == FailOnRun)
            {
                throw new IOException("node crashed");
            }

            if (ThrottleAlways)
            {
                return Task.FromResult(new StepOutcome(StepStatus.Inconclusive,
                    new ProbeFailure(FailureKind.StreamError, "policy-violation"), [], Throttled: true));
            }

            Assert.NotNull(input.Endpoint);
            return Task.FromResult(StepOutcome.Done(new EndpointSessionObserved(input.Mode, input.EndpointIndex!.Value, Report(input.EndpointIndex.Value))));
        }
    }

    private sealed class RecordingThrottle : IThrottleFeedback
    {
        public List<TimeSpan> Waits { get; } = [];

        public void BackOff(XmppEndpoint endpoint, TimeSpan wait) => Waits.Add(wait);
    }
}

public class ThrottlingTests
{
    [Theory]
    [InlineData(FailureKind.ConnectionClosed, "ConnectionReset: Connection reset by peer", null, null, true)]
    [InlineData(FailureKind.StreamError, "policy-violation", "policy-violation", "s1", true)]
    [InlineData(FailureKind.StreamError, "resource-constraint", "resource-constraint", "s1", true)]
    [InlineData(FailureKind.StreamError, "host-unknown", "host-unknown", "s1", false)]
    [InlineData(FailureKind.Refused, "connection refused", null, null, false)]
    [InlineData(FailureKind.StartTlsNotOffered, "no starttls", null, "s1", false)]
    [InlineData(FailureKind.ConnectionClosed, "ConnectionReset: reset after the stream header", null, "s1", false)]
    public void Throttling_isResetBeforeAnyStream_orAPolicyStreamError(FailureKind kind, string message, string? condition, string? streamId, bool throttled)
    {
        var facts = XmppScanCluster.Shared.Xmpp.XmppStreamFacts.Empty with
        {
            StreamId = streamId,
            StreamError = condition is null ? null : new XmppScanCluster.Shared.Xmpp.StreamErrorInfo(condition, null),
        };

        Assert.Equal(throttled, XmppScanCluster.ScanNode.Transport.ThrottleSignals.IsThrottling(new ProbeFailure(kind, message), facts));
    }
}
