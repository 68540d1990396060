using System.Net;
using Microsoft.Extensions.Time.Testing;
using XmppScanCluster.ScanNode.Node;
using XmppScanCluster.ScanNode.Progress;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.ScanNode.Tests.Progress;

/// <summary>
/// The progress a census or scan reports (issue 13 item 4), on a fake clock: connections done of the planned number,
/// an ETA that moves with every connection and grows while nothing happens, the step each endpoint is in, and the
/// politeness wait the real per-IP limiter imposes, counted down.
/// </summary>
public sealed class ScanProgressTests
{
    /// <summary>No packet is sent: the gate and the limiter only decide when a connection may start.</summary>
    private static readonly IPAddress Server = IPAddress.Parse("127.127.0.12");

    private static XmppEndpoint Endpoint(string domain, int port = 5222) =>
        new(domain, XmppMode.C2S, TlsTransport.StartTls, "xmpp." + domain, Server, port, 0, 0, EndpointSource.Srv);

    [Fact]
    public void Eta_movesWithEveryConnection_andGrowsWhileNothingHappens()
    {
        var time = new FakeTimeProvider();
        var progress = new ScanProgress(["session", "tls_assessment"], modes: 1, time);
        progress.SetTargets(2, 0);
        var before = progress.Snapshot();
        Assert.Equal((0, 2 * 46), (before.ConnectionsDone, before.ConnectionsPlanned)); // 1 + 45 expected per endpoint
        Assert.Null(before.Eta);

        var a = Endpoint("a.test");
        progress.StepStarted("a.test", null, "discover");
        time.Advance(TimeSpan.FromSeconds(1));
        progress.StepFinished("a.test", null, "discover");
        progress.StepStarted("a.test", a, "session");
        progress.ConnectionOpened(a);
        progress.StepFinished("a.test", a, "session");
        progress.StepStarted("a.test", a, "tls_assessment");
        for (var i = 0; i < 9; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            progress.ConnectionOpened(a);
        }

        time.Advance(TimeSpan.FromSeconds(10));
        // a.test: 1 + 45 planned, 10 done; b.test not started: one endpoint of 46. 82 left at 10 connections per 20 s.
        var running = progress.Snapshot();
        Assert.Equal((10, 92), (running.ConnectionsDone, running.ConnectionsPlanned));
        Assert.Equal(TimeSpan.FromSeconds(164), running.Eta);
        var step = Assert.Single(running.Active);
        Assert.Equal(("a.test", "127.127.0.12:5222", "tls_assessment", 10, 46), (step.Domain, step.Where, step.Step, step.Connections, step.Planned));

        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.FromSeconds(246), progress.Snapshot().Eta); // nothing happened: the rate fell

        progress.ConnectionOpened(a);
        Assert.Equal(TimeSpan.FromSeconds(221), progress.Snapshot().Eta); // 81 left at 11 per 30 s
    }

    [Fact]
    public void FinishedSteps_replaceTheExpectedCost_andATargetDoneCountsOnlyWhatItUsed()
    {
        var time = new FakeTimeProvider();
        var progress = new ScanProgress(["session", "tls_assessment"], modes: 1, time);
        progress.SetTargets(2, 0);
        var a = Endpoint("a.test");
        progress.StepStarted("a.test", a, "session");
        progress.ConnectionOpened(a);
        progress.StepFinished("a.test", a, "session");
        progress.StepStarted("a.test", a, "tls_assessment");
        for (var i = 0; i < 20; i++)
        {
            progress.ConnectionOpened(a);
        }

        progress.StepFinished("a.test", a, "tls_assessment");
        progress.TargetFinished("a.test");

        // b.test is now expected to cost what a.test's endpoint did: 1 + 20.
        var s = progress.Snapshot();
        Assert.Equal((1, 21, 42), (s.TargetsDone, s.ConnectionsDone, s.ConnectionsPlanned));
        Assert.Empty(s.Active);
    }

    [Fact]
    public void AStepPastItsMean_isNeverShownAsAlmostDone()
    {
        var progress = new ScanProgress(["tls_assessment"], modes: 1, new FakeTimeProvider());
        progress.SetTargets(1, 0);
        var a = Endpoint("a.test");
        progress.StepStarted("a.test", a, "tls_assessment");
        for (var i = 0; i < 100; i++)
        {
            progress.ConnectionOpened(a);
        }

        // 45 expected; at 100 it still runs, so half the mean more is planned.
        Assert.Equal(100 + 23, progress.Snapshot().ConnectionsPlanned);
    }

    [Fact]
    public async Task PolitenessWait_ofTheRealGate_isReportedWithItsAddressReasonAndTimeLeft()
    {
        var time = new FakeTimeProvider();
        var progress = new ScanProgress(["session"], modes: 1, time);
        var gate = new PolitenessGate(Blocklist.Parse([], out _), new PerIpLimiter(1, TimeSpan.FromSeconds(2), time, progress), progress: progress);
        var a = Endpoint("a.test");

        (await gate.EnterAsync(a, CancellationToken.None)).Dispose();
        Assert.Equal(1, progress.Snapshot().ConnectionsDone);
        Assert.Empty(progress.Snapshot().Waits);

        var second = gate.EnterAsync(Endpoint("a.test", 5223), CancellationToken.None).AsTask();
        time.Advance(TimeSpan.FromSeconds(0.4));
        var wait = Assert.Single(progress.Snapshot().Waits);
        Assert.Equal((Server, TimeSpan.FromSeconds(1.6), WaitReason.Spacing), (wait.Address, wait.Remaining, wait.Reason));

        time.Advance(TimeSpan.FromSeconds(1.6));
        (await second.WaitAsync(TimeSpan.FromSeconds(60))).Dispose();
        Assert.Empty(progress.Snapshot().Waits);
        Assert.Equal(2, progress.Snapshot().ConnectionsDone);

        gate.BackOff(a, TimeSpan.FromSeconds(30));
        var third = gate.EnterAsync(a, CancellationToken.None).AsTask();
        Assert.Equal((TimeSpan.FromSeconds(30), WaitReason.BackOff), Assert.Single(progress.Snapshot().Waits) is var w ? (w.Remaining, w.Reason) : default);
        time.Advance(TimeSpan.FromSeconds(30));
        (await third.WaitAsync(TimeSpan.FromSeconds(60))).Dispose();
    }
}
