using PuppeteerSharp;

namespace XmppScanCluster.TestKit;

/// <summary>
/// Debian's headless Chromium driven by PuppeteerSharp: Debian's binary as the executable (PuppeteerSharp downloads
/// nothing), a fresh profile per instance, every background feature that would reach the network (updates, sync,
/// field trials) off. Disposing closes the browser and deletes the profile.
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

    // Generous: a guard against a hung browser on two loaded cores, not a speed check.
    private static readonly TimeSpan LaunchTimeout = TimeSpan.FromSeconds(120);

    private readonly IBrowser _browser;
    private readonly DirectoryInfo _profile;

    private Chromium(IBrowser browser, DirectoryInfo profile)
    {
        _browser = browser;
        _profile = profile;
    }

    /// <summary>Starts a browser (<paramref name="executable"/>: another binary than <see cref="ExecutablePath"/>).</summary>
    public static async Task<Chromium> StartAsync(string? executable = null)
    {
        executable ??= ExecutablePath;
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException(
                $"Chromium not found at {executable}: install the Debian package (bash deploy/install-deps.sh installs 'chromium') or set XMPPSCAN_CHROMIUM");
        }

        var profile = Directory.CreateTempSubdirectory("xmppscan-chromium-");
        var options = new LaunchOptions
        {
            ExecutablePath = executable,
            Browser = SupportedBrowser.Chromium,
            Headless = true,
            UserDataDir = profile.FullName,
            DefaultViewport = new ViewPortOptions { Width = 1280, Height = 900 },
            Timeout = (int)LaunchTimeout.TotalMilliseconds,
            ProtocolTimeout = (int)LaunchTimeout.TotalMilliseconds,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--no-default-browser-check", "--disable-dev-shm-usage",
            ],
        };
        // Chromium's own temporary files (org.chromium.Chromium.*) go into the profile, deleted with it.
        options.Env["TMPDIR"] = profile.FullName;
        try
        {
            return new Chromium(await Puppeteer.LaunchAsync(options).ConfigureAwait(false), profile);
        }
        catch
        {
            profile.Delete(recursive: true);
            throw;
        }
    }

    /// <summary>Opens <paramref name="url"/> in a new tab and waits for its load event.</summary>
    /// <param name="initScript">Runs in the page before any of its own scripts (e.g. <see cref="FakePageTimers.Script"/>).</param>
    public async Task<BrowserPage> OpenAsync(string url, TimeSpan? timeout = null, string? initScript = null)
    {
        var raw = await _browser.NewPageAsync().ConfigureAwait(false);
        if (initScript is not null)
        {
            await raw.EvaluateExpressionOnNewDocumentAsync(initScript).ConfigureAwait(false);
        }

        var page = new BrowserPage(raw);
        await page.NavigateAsync(url, timeout ?? TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        return page;
    }

    /// <summary>Opens a local file as a <c>file://</c> URL.</summary>
    public Task<BrowserPage> OpenFileAsync(string path, TimeSpan? timeout = null) =>
        OpenAsync(new Uri(Path.GetFullPath(path)).AbsoluteUri, timeout);

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync().ConfigureAwait(false);
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
