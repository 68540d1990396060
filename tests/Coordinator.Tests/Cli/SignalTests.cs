using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using XmppScanCluster.Coordinator.Cli;
using XmppScanCluster.Coordinator.Tests.Census;

namespace XmppScanCluster.Coordinator.Tests.Cli;

/// <summary>
/// SIGINT (Ctrl-C) and SIGTERM during <c>scan</c> and <c>census</c>, sent to the real process: one "interrupted" line,
/// exit 130 / 143 (128 + the signal, README "Exit codes"), what was already written stays, and never a stack trace
/// (before, SIGTERM let System.CommandLine cancel a token of its own: an OperationCanceledException escaped, exit 134).
/// The signal is sent once the process provably waits on the network (the server saw its connection).
/// </summary>
[Collection(CensusCollection.Name)]
public sealed class SignalTests(CensusTestbed testbed) : IDisposable
{
    private static readonly IPAddress Address = IPAddress.Parse((Environment.GetEnvironmentVariable("XMPPSCAN_FREE_NET") ?? "127.77") + ".9.1");

    private readonly string _dir = Directory.CreateTempSubdirectory("xmppscan-signal-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("TERM", ExitCodes.Terminated)]
    [InlineData("INT", ExitCodes.Interrupted)]
    public async Task ScanWaitingOnASilentServer_signal_printsInterrupted_keepsTheFinishedDomain_exits128PlusSignal(string signal, int expected)
    {
        // The first connection is closed at once (first.test fails and is printed); the second is held silent.
        using var listener = new TcpListener(Address, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var held = new List<TcpClient>();
        var secondAccepted = new TaskCompletionSource();
        var accepting = Task.Run(async () =>
        {
            (await listener.AcceptTcpClientAsync()).Dispose();
            held.Add(await listener.AcceptTcpClientAsync());
            secondAccepted.SetResult();
        });

        using var process = testbed.Start(_dir, "scan", "scan", "--connect", $"{Address}:{port}", "--timeout", "120", "first.test", "second.test");
        try
        {
            await secondAccepted.Task.WaitAsync(TimeSpan.FromSeconds(120));
            await SignalAsync(process, signal);

            Assert.True(process.WaitForExit(60_000), "the scan did not stop on SIG" + signal);
            Assert.Equal(expected, process.ExitCode);
            var stderr = await File.ReadAllTextAsync(Path.Combine(_dir, "scan.err"));
            Assert.Equal("xmppscan: interrupted", stderr.TrimEnd('\n'));
            Assert.Contains("first.test (c2s)", await File.ReadAllTextAsync(Path.Combine(_dir, "scan.out")), StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited) process.Kill();
            held.ForEach(c => c.Dispose());
            listener.Stop();
            await accepting.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    [Fact]
    public async Task CensusInProgress_sigterm_printsInterruptedOnce_exits143()
    {
        var targets = Path.Combine(_dir, "targets.txt");
        await File.WriteAllLinesAsync(targets, ["legacy.test", "intermediate.test"]);
        var db = "sqlite:" + Path.Combine(_dir, "c.db");
        var log = Path.Combine(_dir, "connections.log");

        using var process = testbed.Start(_dir, "census", ["census", "--targets", targets, "--store", db, "--depth", "full", "--spacing", "0.05",
            "--connection-log", log, "--log", Path.Combine(_dir, "node.log"), .. testbed.ScanOptions]);
        try
        {
            await CensusTestbed.WaitUntilAsync(() => Task.FromResult(File.Exists(log) && new FileInfo(log).Length > 0),
                TimeSpan.FromSeconds(120), "the census's first connection");
            await SignalAsync(process, "TERM");

            Assert.True(process.WaitForExit(60_000), "the census did not stop on SIGTERM");
            Assert.Equal(ExitCodes.Terminated, process.ExitCode);
            // Progress lines come before it on standard error (a non-terminal gets them as lines); the interruption is one line, last.
            var stderr = (await File.ReadAllLinesAsync(Path.Combine(_dir, "census.err"))).Where(l => l.Length > 0).ToList();
            Assert.Equal("xmppscan census: interrupted; run the same command again to resume", stderr[^1]);
            Assert.Single(stderr, l => l.Contains("interrupted", StringComparison.Ordinal));
            Assert.DoesNotContain(stderr, l => l.Contains("Exception", StringComparison.Ordinal) || l.StartsWith("   at ", StringComparison.Ordinal));
        }
        finally
        {
            if (!process.HasExited) process.Kill();
        }
    }

    private static async Task SignalAsync(Process process, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }
}
