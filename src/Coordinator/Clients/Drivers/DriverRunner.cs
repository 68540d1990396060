using System.Diagnostics;
using System.Text;
using XmppScanCluster.Coordinator.Clients.Harness;

namespace XmppScanCluster.Coordinator.Clients.Drivers;

/// <summary>What a client process printed and how it ended — kept for a human; never used for the verdict.</summary>
/// <param name="ExitCode">Exit code, or null when the harness stopped it.</param>
/// <param name="Output">Standard output and error, bounded.</param>
public sealed record ClientProcessResult(int? ExitCode, string Output);

/// <summary>
/// Runs one driver once against one scenario: starts it with the test account in its environment, and stops it
/// when it exits, when the wire has settled the verdict (the server accepted its authentication) plus a grace,
/// or at the deadline. Deadlines run on the injected <see cref="TimeProvider"/>. A client stopped at the deadline is
/// recorded as <see cref="WireEventKind.TimedOut"/> before it is killed: the kill closes its sockets, and a session that
/// reads that close first must not turn "stalled" into "closed the connection" (which one came first depended on load).
/// </summary>
public sealed class DriverRunner(string driversDirectory, TimeProvider time, TimeSpan deadline, TimeSpan grace)
{
    private const int MaxOutput = 16 * 1024;

    public async Task<ClientProcessResult> RunAsync(ClientDriver driver, string mode, string account, string password, string home,
        WireRecorder recorder, CancellationToken ct)
    {
        var settled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        recorder.Recorded += e =>
        {
            if (e.Kind == WireEventKind.Authenticated)
            {
                settled.TrySetResult();
            }
        };

        var info = new ProcessStartInfo(Resolve(driver.Command[0]))
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
            WorkingDirectory = home,
        };
        foreach (var arg in driver.Command.Skip(1))
        {
            info.ArgumentList.Add(Resolve(arg));
        }

        info.ArgumentList.Add(mode);
        info.Environment["XMPP_JID"] = account;
        info.Environment["XMPP_PASSWORD"] = password;
        info.Environment["XMPP_DOMAIN"] = account[(account.IndexOf('@', StringComparison.Ordinal) + 1)..];
        info.Environment["HOME"] = home;
        // The harness itself serves TLS 1.0 and SHA-1 at OpenSSL security level 0; the clients get their distribution default.
        info.Environment.Remove("OPENSSL_CONF");
        info.Environment["PYTHONDONTWRITEBYTECODE"] = "1";

        using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start " + driver.Name);
        process.StandardInput.Close();
        var output = new StringBuilder();
        var pumps = Task.WhenAll(PumpAsync(process.StandardOutput, output), PumpAsync(process.StandardError, output));
        var exited = process.WaitForExitAsync(ct);
        var deadlineTask = Task.Delay(deadline, time, ct);
        var afterSettled = settled.Task.ContinueWith(_ => Task.Delay(grace, time, ct), ct, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        await Task.WhenAny(exited, deadlineTask, afterSettled).ConfigureAwait(false);
        int? exitCode = null;
        if (process.HasExited)
        {
            exitCode = process.ExitCode;
        }
        else
        {
            if (!settled.Task.IsCompleted)
            {
                recorder.Add(new WireEvent(0, WireEventKind.TimedOut, false, "harness deadline: client stopped"));
            }

            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        await pumps.ConfigureAwait(false);
        lock (output)
        {
            return new ClientProcessResult(exitCode, output.ToString());
        }
    }

    private string Resolve(string part) =>
        part.Contains('/', StringComparison.Ordinal) || !File.Exists(Path.Combine(driversDirectory, part)) ? part : Path.Combine(driversDirectory, part);

    private static async Task PumpAsync(StreamReader reader, StringBuilder output)
    {
        var buffer = new char[4096];
        int n;
        while ((n = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            lock (output)
            {
                if (output.Length < MaxOutput)
                {
                    output.Append(buffer, 0, Math.Min(n, MaxOutput - output.Length));
                }
            }
        }
    }
}
