using XmppScanCluster.ScanNode.Actors;
using XmppScanCluster.ScanNode.Actors.Steps;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Messages;
using XmppScanCluster.Shared.Model;
using static XmppScanCluster.ScanNode.Tests.Actors.TargetFacts;

namespace XmppScanCluster.ScanNode.Tests.Actors;

public class TargetActorTests
{
    private static readonly EventOrigin Origin = new(Guid.NewGuid(), Guid.NewGuid(), "node-1", "eu");

    [Fact]
    public async Task FreshTarget_runsEveryStep_andPersistsOneReport()
    {
        var journal = new MemoryJournal();
        var (steps, session) = Steps(endpoints: 2);

        var state = await new TargetActor(Origin, journal, steps, new StepRunner(PolitenessSettings.CensusDefault))
            .RunAsync(Start(), CancellationToken.None);

        Assert.True(state.Completed);
        Assert.Equal(2, session.Runs);
        Assert.Single(journal.Events, e => e.Type == "domain_scan_completed");
        Assert.Equal(Enumerable.Range(1, journal.Events.Count).Select(i => (long)i), journal.Events.Select(e => e.Sequence));
    }

    [Fact]
    public async Task CrashDuringSecondSession_newActorContinuesThere_withoutRedoingDiscoveryOrFirstSession()
    {
        var journal = new MemoryJournal();
        var (steps, session) = Steps(endpoints: 3);
        session.FailOnRun = 2;
        await Assert.ThrowsAsync<IOException>(() =>
            new TargetActor(Origin, journal, steps, new StepRunner(PolitenessSettings.CensusDefault)).RunAsync(Start(), CancellationToken.None));
        var discoverRuns = ((FakeDiscover)steps.Discover).Runs;

        var resumed = new TargetActor(Origin, journal, steps, new StepRunner(PolitenessSettings.CensusDefault));
        var state = await resumed.RunAsync(Start(), CancellationToken.None);

        Assert.True(state.Completed);
        Assert.Equal(1, discoverRuns);
        Assert.Equal(1, ((FakeDiscover)steps.Discover).Runs);
        Assert.Equal(2, resumed.StepsRun); // sessions on endpoints 1 and 2 only
        Assert.Single(journal.Events, e => e.Type == "domain_scan_completed");
    }

    [Fact]
    public async Task CompletedTarget_rerun_runsNothing()
    {
        var journal = new MemoryJournal();
        var (steps, session) = Steps(endpoints: 1);
        await new TargetActor(Origin, journal, steps, new StepRunner(PolitenessSettings.CensusDefault)).RunAsync(Start(), CancellationToken.None);
        var count = journal.Events.Count;

        var again = new TargetActor(Origin, journal, steps, new StepRunner(PolitenessSettings.CensusDefault));
        await again.RunAsync(Start(), CancellationToken.None);

        Assert.Equal(0, again.StepsRun);
        Assert.Equal(count, journal.Events.Count);
        Assert.Equal(1, session.Runs);
    }

    [Fact]
    public async Task ThrottledStep_backsOffAndRetries_thenIsInconclusive()
    {
        var journal = new MemoryJournal();
        var (steps, session) = Steps(endpoints: 1);
        session.ThrottleAlways = true;
        var feedback = new RecordingThrottle();

        var state = await new TargetActor(Origin, journal, steps, new StepRunner(new PolitenessSettings(1, 0, 0.5, 3), feedback))
            .RunAsync(Start(), CancellationToken.None);

        Assert.Equal(3, session.Runs);
        Assert.Equal([0.5, 1.0, 2.0], feedback.Waits.Select(w => w.TotalSeconds));
        var step = state.Mode(XmppMode.C2S).Done[("session", 0)];
        Assert.Equal(StepStatus.Inconclusive, step.Status);
        Assert.Equal(3, step.Attempts);
    }

    private static (ScanStepRegistry Steps, FakeSession Session) Steps(int endpoints)
    {
        var session = new FakeSession();
        return (new ScanStepRegistry(new FakeDiscover(endpoints), [session]), session);
    }

    internal sealed class MemoryJournal : ITargetJournal
    {
        public List<EventEnvelope> Events { get; } = [];

        public Task<IReadOnlyList<EventEnvelope>> ReadAsync(Guid censusId, Guid streamId, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<EventEnvelope>>(Events.Where(e => e.TargetId == streamId).OrderBy(e => e.Sequence).ToList());

        public Task AppendAsync(IReadOnlyList<EventEnvelope> events, CancellationToken ct)
        {
            foreach (var e in events)
            {
                if (Events.Any(x => x.TargetId == e.TargetId && x.Sequence == e.Sequence))
                {
                    throw new JournalConflictException($"sequence {e.Sequence} taken");
                }
            }

            Events.AddRange(events);
            return Task.CompletedTask;
        }
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
