using Microsoft.Extensions.Time.Testing;
using XmppScanCluster.Coordinator.Clients.Drivers;
using XmppScanCluster.Coordinator.Clients.Harness;

namespace XmppScanCluster.Coordinator.Tests.Clients;

/// <summary>The runner stops a client that never ends, at the deadline or once the verdict is settled, on a fake clock.</summary>
public sealed class DriverRunnerTests
{
    private static readonly ClientDriver Sleeper = new("sleeper", "none", "none", ["/bin/sh", "-c", "echo started; exec sleep 600", "sh"], "");

    [Fact]
    public async Task ClientThatNeverEnds_isStoppedAtTheDeadline()
    {
        var time = new FakeTimeProvider();
        var runner = new DriverRunner(Path.GetTempPath(), time, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(1));

        var recorder = new WireRecorder();
        var run = runner.RunAsync(Sleeper, "default", "a@b.test", "p", Path.GetTempPath(), recorder, CancellationToken.None);
        var result = await AdvanceUntilAsync(time, run, TimeSpan.FromSeconds(20));

        Assert.Null(result.ExitCode);
        Assert.Contains("started", result.Output, StringComparison.Ordinal);
        // Recorded before the kill, so a session that then reads the killed client's close cannot make it "refused".
        Assert.Contains(recorder.Snapshot("s").Events, e => e.Kind == WireEventKind.TimedOut);
    }

    [Fact]
    public async Task ClientThatAuthenticated_isStoppedAfterTheGrace_notAtTheDeadline()
    {
        var time = new FakeTimeProvider();
        var start = time.GetUtcNow();
        var recorder = new WireRecorder();
        var runner = new DriverRunner(Path.GetTempPath(), time, TimeSpan.FromHours(1), TimeSpan.FromSeconds(1));

        var run = runner.RunAsync(Sleeper, "default", "a@b.test", "p", Path.GetTempPath(), recorder, CancellationToken.None);
        recorder.Add(new WireEvent(1, WireEventKind.Authenticated, true, Mechanism: "PLAIN"));
        var result = await AdvanceUntilAsync(time, run, TimeSpan.FromSeconds(1));

        Assert.Null(result.ExitCode);
        Assert.True(time.GetUtcNow() - start < TimeSpan.FromMinutes(1), "stopped long before the one-hour deadline");
        Assert.DoesNotContain(recorder.Snapshot("s").Events, e => e.Kind == WireEventKind.TimedOut);
    }

    [Fact]
    public async Task ClientThatExits_keepsItsExitCode()
    {
        var time = new FakeTimeProvider();
        var runner = new DriverRunner(Path.GetTempPath(), time, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(1));
        var quitter = Sleeper with { Command = ["/bin/sh", "-c", "echo bye; exit 3", "sh"] };

        var result = await runner.RunAsync(quitter, "strict", "a@b.test", "p", Path.GetTempPath(), new WireRecorder(), CancellationToken.None);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("bye", result.Output, StringComparison.Ordinal);
    }

    // The runner registers its timers after it has started the process: advance in steps until the run ends. Only the
    // fake clock decides; the bound on steps only keeps a broken runner from hanging the suite.
    private static async Task<ClientProcessResult> AdvanceUntilAsync(FakeTimeProvider time, Task<ClientProcessResult> run, TimeSpan step)
    {
        for (var i = 0; i < 600 && !run.IsCompleted; i++)
        {
            time.Advance(step);
            await Task.WhenAny(run, Task.Delay(100));
        }

        Assert.True(run.IsCompleted, "the runner did not stop the client");
        return await run;
    }
}
