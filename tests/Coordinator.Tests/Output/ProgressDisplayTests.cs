using System.Net;
using Microsoft.Extensions.Time.Testing;
using XmppScanCluster.Coordinator.Output;
using XmppScanCluster.ScanNode.Node;
using XmppScanCluster.ScanNode.Progress;
using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.Coordinator.Tests.Output;

/// <summary>
/// What the operator reads while a census or scan runs (issue 13 item 4), on a fake clock: the politeness wait in words
/// as the real gate imposes it, counted down; the ETA; one line per change (at most one per interval) in logs and pipes;
/// a block redrawn in place on a terminal that steps aside for the report.
/// </summary>
public sealed class ProgressDisplayTests
{
    private static readonly IPAddress Server = IPAddress.Parse("127.127.0.12");

    private static XmppEndpoint Endpoint(int port) =>
        new("a.test", XmppMode.C2S, TlsTransport.StartTls, "xmpp.a.test", Server, port, 0, 0, EndpointSource.Srv);

    [Fact]
    public async Task SpacingWait_isShownAsWaitingSecondsForTheAddress_andCountsDown()
    {
        var time = new FakeTimeProvider();
        var progress = new ScanProgress(["session"], modes: 1, time);
        progress.SetTargets(1, 0);
        var gate = new PolitenessGate(Blocklist.Parse([], out _), new PerIpLimiter(1, TimeSpan.FromSeconds(2), time, progress), progress: progress);
        progress.StepStarted("a.test", Endpoint(5222), "session");
        (await gate.EnterAsync(Endpoint(5222), CancellationToken.None)).Dispose();
        progress.StepFinished("a.test", Endpoint(5222), "session");
        progress.StepStarted("a.test", Endpoint(5223), "session");
        var second = gate.EnterAsync(Endpoint(5223), CancellationToken.None).AsTask();

        time.Advance(TimeSpan.FromSeconds(0.4));
        var line = ProgressText.Line(progress.Snapshot());
        Assert.Contains("waiting 1.6 s for 127.127.0.12 (spacing)", line, StringComparison.Ordinal);
        Assert.Contains("a.test 127.127.0.12:5223: session, 0/~1 connections", line, StringComparison.Ordinal);
        Assert.StartsWith("progress: 0/1 targets, 1/~2 connections, 0:00:00 elapsed, ETA 0:00:00", line, StringComparison.Ordinal);

        time.Advance(TimeSpan.FromSeconds(1.1));
        Assert.Contains("waiting 0.5 s for 127.127.0.12 (spacing)", ProgressText.Line(progress.Snapshot()), StringComparison.Ordinal);
        time.Advance(TimeSpan.FromSeconds(0.5));
        (await second.WaitAsync(TimeSpan.FromSeconds(60))).Dispose();
        Assert.DoesNotContain("waiting", ProgressText.Line(progress.Snapshot()), StringComparison.Ordinal);
    }

    [Fact]
    public void BackOffWait_saysTheServerThrottledUs()
    {
        var wait = new PolitenessWait(Server, TimeSpan.FromSeconds(30), WaitReason.BackOff);
        Assert.Equal("waiting 30.0 s for 127.127.0.12 (back-off: the server throttled us)", ProgressText.Wait(wait));
    }

    [Fact]
    public void Eta_isWrittenAsAClock_andUnknownBeforeTheFirstConnection()
    {
        var time = new FakeTimeProvider();
        var progress = new ScanProgress(["session", "tls_assessment"], modes: 1, time);
        progress.SetTargets(3, 0);
        Assert.StartsWith("progress: 0/3 targets, 0/~138 connections, 0:00:00 elapsed, ETA --:--:--", ProgressText.Line(progress.Snapshot()),
            StringComparison.Ordinal);

        progress.StepStarted("a.test", Endpoint(5222), "session");
        time.Advance(TimeSpan.FromSeconds(46));
        progress.ConnectionOpened(Endpoint(5222));
        // 137 left at one connection per 46 s.
        Assert.StartsWith("progress: 0/3 targets, 1/~138 connections, 0:00:46 elapsed, ETA 1:45:02", ProgressText.Line(progress.Snapshot()),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task LineMode_writesWhenSomethingChanged_atMostOncePerInterval_andAHeartbeatOtherwise()
    {
        var time = new FakeTimeProvider();
        var progress = new ScanProgress(["session"], modes: 1, time);
        progress.SetTargets(2, 0);
        var output = new StringWriter();
        var display = new ProgressDisplay(progress, output, ProgressMode.Lines, 80, time, TimeSpan.FromSeconds(5));

        await display.TickAsync();
        Assert.Single(Lines(output));
        await display.TickAsync();
        Assert.Single(Lines(output)); // nothing changed

        progress.StepStarted("a.test", Endpoint(5222), "session");
        time.Advance(TimeSpan.FromSeconds(1));
        await display.TickAsync();
        Assert.Single(Lines(output)); // changed, but within the interval
        time.Advance(TimeSpan.FromSeconds(4));
        await display.TickAsync();
        Assert.Equal(2, Lines(output).Length);
        Assert.Contains("a.test 127.127.0.12:5222: session", Lines(output)[1], StringComparison.Ordinal);

        time.Advance(TimeSpan.FromSeconds(49));
        await display.TickAsync();
        Assert.Equal(2, Lines(output).Length);
        time.Advance(TimeSpan.FromSeconds(1));
        await display.TickAsync();
        Assert.Equal(3, Lines(output).Length); // the heartbeat: ten intervals without a change
        Assert.DoesNotContain('\u001b', output.ToString());
    }

    [Fact]
    public async Task TerminalMode_redrawsTheBlockInPlace_andErasesItForTheReport()
    {
        var time = new FakeTimeProvider();
        var progress = new ScanProgress(["session"], modes: 1, time);
        progress.SetTargets(1, 0);
        progress.StepStarted("a.test", Endpoint(5222), "session");
        var output = new StringWriter();
        var display = new ProgressDisplay(progress, output, ProgressMode.Terminal, 60, time);

        await display.TickAsync();
        var first = output.ToString();
        Assert.Equal(2, first.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length); // summary + the running step
        Assert.All(first.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => Assert.True(l.Length < 60, l));

        output.GetStringBuilder().Clear();
        await display.TickAsync();
        Assert.StartsWith("\u001b[2F\u001b[0J", output.ToString(), StringComparison.Ordinal); // up two lines, clear, redraw

        output.GetStringBuilder().Clear();
        await display.WriteAboveAsync(() => output.WriteLineAsync("a.test: grade A"));
        Assert.Equal("\u001b[2F\u001b[0Ja.test: grade A\n", output.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    private static string[] Lines(StringWriter output) =>
        output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
