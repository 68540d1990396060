using System.Diagnostics;
using System.Text.Json;

namespace XmppScanCluster.Coordinator.Tests.Browser;

/// <summary>
/// Debian's headless Chromium driven over the DevTools protocol (no Playwright package is served here): a fresh
/// profile per instance, the DevTools port chosen by Chromium (<c>--remote-debugging-port=0</c>, read back from
/// <c>DevToolsActivePort</c> in the profile), on loopback only. Every background feature that would reach the
/// network (updates, sync, field trials) is off. Disposing kills the whole process tree and deletes the profile.
/// <code>
/// await using var browser = await Chromium.StartAsync();
/// var page = await browser.OpenAsync(url);
/// Assert.Empty(page.Problems);
/// </code>
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    /// <summary>Where Debian's <c>chromium</c> package puts the browser; XMPPSCAN_CHROMIUM overrides it.</summary>
    public static string ExecutablePath { get; } = Environment.GetEnvironmentVariable("XMPPSCAN_CHROMIUM") ?? "/usr/bin/chromium";

    private readonly Process _process;
    private readonly DirectoryInfo _profile;
    private readonly CdpConnection _connection;

    private Chromium(Process process, DirectoryInfo profile, CdpConnection connection)
    {
        _process = process;
        _profile = profile;
        _connection = connection;
    }

    /// <summary>Starts a browser (<paramref name="executable"/>: another binary than <see cref="ExecutablePath"/>).</summary>
    public static async Task<Chromium> StartAsync(string? executable = null, CancellationToken ct = default)
    {
        executable ??= ExecutablePath;
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException(
                $"Chromium not found at {executable}: install the Debian package (bash deploy/install-deps.sh installs 'chromium') or set XMPPSCAN_CHROMIUM");
        }

        var profile = Directory.CreateTempSubdirectory("xmppscan-chromium-");
        var info = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Chromium's own temporary files (org.chromium.Chromium.*) go into the profile, deleted with it.
        info.Environment["TMPDIR"] = profile.FullName;
        foreach (var argument in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check",
                     "--disable-extensions", "--disable-dev-shm-usage", "--remote-debugging-address=127.0.0.1",
                     "--remote-debugging-port=0", "--window-size=1280,900", $"--user-data-dir={profile.FullName}", "about:blank"])
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {executable}");
        var log = new System.Text.StringBuilder();
        // Chromium logs (GPU, dbus) to stderr; drained so a full pipe never blocks it, kept for the failure message.
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            var endpoint = await ReadDevToolsEndpointAsync(profile.FullName, process, ct);
            var connection = await CdpConnection.ConnectAsync(endpoint, ct);
            return new Chromium(process, profile, connection);
        }
        catch (Exception e)
        {
            Kill(process);
            profile.Delete(recursive: true);
            string output;
            lock (log) output = log.ToString();
            throw new InvalidOperationException($"Chromium did not start its DevTools endpoint: {e.Message}\n{output}", e);
        }
    }

    /// <summary>Opens <paramref name="url"/> in a new tab and waits for its load event.</summary>
    public async Task<BrowserPage> OpenAsync(string url, TimeSpan? timeout = null)
    {
        var target = await _connection.SendAsync("Target.createTarget", new { url = "about:blank" });
        var targetId = target.GetProperty("targetId").GetString()!;
        var attached = await _connection.SendAsync("Target.attachToTarget", new { targetId, flatten = true });
        var page = new BrowserPage(_connection, targetId, attached.GetProperty("sessionId").GetString()!);
        await page.InitializeAsync();
        await page.NavigateAsync(url, timeout ?? TimeSpan.FromSeconds(30));
        return page;
    }

    /// <summary>Opens a local file as a <c>file://</c> URL.</summary>
    public Task<BrowserPage> OpenFileAsync(string path, TimeSpan? timeout = null) =>
        OpenAsync(new Uri(Path.GetFullPath(path)).AbsoluteUri, timeout);

    private static async Task<Uri> ReadDevToolsEndpointAsync(string profile, Process process, CancellationToken ct)
    {
        // First line: the port; second line: the browser target's path (/devtools/browser/<id>).
        var file = Path.Combine(profile, "DevToolsActivePort");
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"chromium exited with code {process.ExitCode}");
            }

            if (File.Exists(file) && File.ReadAllLines(file) is [var port, var path, ..] && path.Length > 0)
            {
                return new Uri($"ws://127.0.0.1:{port.Trim()}{path.Trim()}");
            }

            await Task.Delay(100, ct);
        }

        throw new TimeoutException("no DevToolsActivePort after 30 s");
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _connection.SendAsync("Browser.close");
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or JsonException)
        {
            // Closing anyway: the kill below does not depend on it.
        }

        await _connection.DisposeAsync();
        Kill(_process);
        _process.Dispose();
        try
        {
            _profile.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A helper process may still hold a file for a moment; the temp dir is cleaned by the system.
        }
    }
}
