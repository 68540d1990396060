using System.Text.Json.Nodes;
using PuppeteerSharp;
using PuppeteerSharp.Media;

namespace XmppScanCluster.TestKit;

/// <summary>
/// One tab: navigation, script evaluation, input, screenshots, and everything that went wrong on the page —
/// console errors, uncaught exceptions, failed requests — collected from the moment the tab was opened.
/// Every request's URL is kept too, so a test can check that a page fetched nothing from the network.
/// </summary>
public sealed class BrowserPage
{
    private readonly IPage _page;
    private readonly List<string> _consoleErrors = [];
    private readonly List<string> _exceptions = [];
    private readonly List<string> _failedRequests = [];
    private readonly List<string> _requests = [];
    private readonly Lock _lock = new();

    internal BrowserPage(IPage page)
    {
        _page = page;
        // Puppeteer reports the Log domain's entries (blocked or missing resources, CSP) as console messages too.
        page.Console += (_, e) =>
        {
            if (e.Message.Type is ConsoleType.Error or ConsoleType.Assert)
            {
                Add(_consoleErrors, $"console: {e.Message.Text}" + (e.Message.Location?.URL is { Length: > 0 } at ? " " + at : ""));
            }
        };
        page.PageError += (_, e) => Add(_exceptions, "exception: " + e.Message);
        page.Request += (_, e) => Add(_requests, e.Request.Url);
        page.RequestFailed += (_, e) => Add(_failedRequests, $"request failed: {e.Request.Url}: {e.Request.FailureText}");
    }

    /// <summary>console.error / console.assert messages and Log errors (blocked or missing resources, CSP).</summary>
    public IReadOnlyList<string> ConsoleErrors => Snapshot(_consoleErrors);

    /// <summary>Uncaught exceptions and unhandled promise rejections.</summary>
    public IReadOnlyList<string> Exceptions => Snapshot(_exceptions);

    /// <summary>Requests that failed ("URL: net::ERR_…").</summary>
    public IReadOnlyList<string> FailedRequests => Snapshot(_failedRequests);

    /// <summary>Every URL the page requested, in order.</summary>
    public IReadOnlyList<string> Requests => Snapshot(_requests);

    /// <summary>All of the above that is a problem, for one <c>Assert.Empty</c> with a readable message.</summary>
    public IReadOnlyList<string> Problems => [.. ConsoleErrors, .. Exceptions, .. FailedRequests];

    /// <summary>Navigates and waits for the load event (a navigation error such as a missing file throws).</summary>
    public async Task NavigateAsync(string url, TimeSpan timeout)
    {
        try
        {
            await _page.GoToAsync(url, new NavigationOptions { Timeout = (int)timeout.TotalMilliseconds, WaitUntil = [WaitUntilNavigation.Load] })
                .ConfigureAwait(false);
        }
        catch (NavigationException e)
        {
            throw new InvalidOperationException($"navigation to {url} failed: {e.Message}", e);
        }
    }

    /// <summary>Evaluates an expression (awaiting a promise) and returns its JSON value as <typeparamref name="T"/>;
    /// a script exception throws with the page's message.</summary>
    public async Task<T> EvaluateAsync<T>(string expression)
    {
        try
        {
            return await _page.EvaluateExpressionAsync<T>(expression).ConfigureAwait(false);
        }
        catch (EvaluationFailedException e)
        {
            throw new InvalidOperationException($"script failed: {e.Message}\n{expression}", e);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> (a boolean expression) holds; the timeout only guards a hang.</summary>
    public async Task WaitForAsync(string condition, TimeSpan? timeout = null)
    {
        try
        {
            await _page.WaitForFunctionAsync($"() => !!({condition})",
                new WaitForFunctionOptions { Timeout = (int)(timeout ?? TimeSpan.FromSeconds(30)).TotalMilliseconds, PollingInterval = 50 })
                .ConfigureAwait(false);
        }
        catch (WaitTaskTimeoutException e)
        {
            throw new TimeoutException($"waited in vain for {condition}", e);
        }
    }

    /// <summary>Clicks the centre of the first element matching a CSS selector with real mouse events.</summary>
    public Task ClickAsync(string selector) => _page.ClickAsync(selector);

    /// <summary>Focuses an input, selects its text and types over it as a user would (input events fire).</summary>
    public async Task TypeAsync(string selector, string text)
    {
        await _page.EvaluateExpressionAsync($"(() => {{ const e = document.querySelector({JsonValue.Create(selector).ToJsonString()}); e.focus(); e.select && e.select(); return true; }})()")
            .ConfigureAwait(false);
        await _page.Keyboard.SendCharacterAsync(text).ConfigureAwait(false);
    }

    /// <summary>Saves a PNG of the page; a bare name goes to the tests' own output folder (<see cref="TestOutput"/>), screenshots/.</summary>
    public async Task<string> ScreenshotAsync(string pathOrName)
    {
        var path = Path.IsPathRooted(pathOrName) ? pathOrName
            : Path.Combine(TestOutput.Folder("screenshots"), pathOrName.EndsWith(".png", StringComparison.Ordinal) ? pathOrName : pathOrName + ".png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var size = await _page.EvaluateExpressionAsync<double[]>(
            "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]").ConfigureAwait(false);
        // Capped: a 10 000-row table would be a picture nobody opens.
        var clip = new Clip { X = 0, Y = 0, Width = (decimal)Math.Max(1, size[0]), Height = (decimal)Math.Clamp(size[1], 1, 8000), Scale = 1 };
        await _page.ScreenshotAsync(path, new ScreenshotOptions { Type = ScreenshotType.Png, Clip = clip, CaptureBeyondViewport = true })
            .ConfigureAwait(false);
        return path;
    }

    public Task CloseAsync() => _page.CloseAsync();

    private void Add(List<string> list, string item)
    {
        lock (_lock)
        {
            list.Add(item);
        }
    }

    private IReadOnlyList<string> Snapshot(List<string> list)
    {
        lock (_lock)
        {
            return [.. list];
        }
    }
}
