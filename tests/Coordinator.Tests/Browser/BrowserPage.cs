using System.Text.Json;
using XmppScanCluster.Coordinator.Tests.Support;

namespace XmppScanCluster.Coordinator.Tests.Browser;

/// <summary>
/// One tab: navigation, script evaluation, input, screenshots, and everything that went wrong on the page —
/// console errors, uncaught exceptions, failed requests — collected from the moment the tab was opened.
/// Every request's URL is kept too, so a test can check that a page fetched nothing from the network.
/// </summary>
public sealed class BrowserPage
{
    private readonly CdpConnection _connection;
    private readonly string _sessionId;
    private readonly Dictionary<string, string> _requestUrls = [];
    private readonly List<string> _consoleErrors = [];
    private readonly List<string> _exceptions = [];
    private readonly List<string> _failedRequests = [];
    private readonly List<string> _requests = [];
    private readonly object _lock = new();
    private TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal BrowserPage(CdpConnection connection, string targetId, string sessionId)
    {
        _connection = connection;
        TargetId = targetId;
        _sessionId = sessionId;
        connection.Subscribe(sessionId, OnEvent);
    }

    public string TargetId { get; }

    /// <summary>console.error / console.assert messages and Log errors (blocked or missing resources, CSP).</summary>
    public IReadOnlyList<string> ConsoleErrors { get { lock (_lock) return [.. _consoleErrors]; } }

    /// <summary>Uncaught exceptions and unhandled promise rejections.</summary>
    public IReadOnlyList<string> Exceptions { get { lock (_lock) return [.. _exceptions]; } }

    /// <summary>Requests that failed ("URL: net::ERR_…").</summary>
    public IReadOnlyList<string> FailedRequests { get { lock (_lock) return [.. _failedRequests]; } }

    /// <summary>Every URL the page requested, in order.</summary>
    public IReadOnlyList<string> Requests { get { lock (_lock) return [.. _requests]; } }

    /// <summary>All of the above that is a problem, for one <c>Assert.Empty</c> with a readable message.</summary>
    public IReadOnlyList<string> Problems => [.. ConsoleErrors, .. Exceptions, .. FailedRequests];

    internal async Task InitializeAsync()
    {
        foreach (var domain in (string[])["Runtime", "Log", "Page", "Network"])
        {
            await SendAsync(domain + ".enable");
        }

        await SendAsync("Emulation.setDeviceMetricsOverride", new { width = 1280, height = 900, deviceScaleFactor = 1, mobile = false });
    }

    /// <summary>Navigates and waits for the load event (a navigation error such as a missing file throws).</summary>
    public async Task NavigateAsync(string url, TimeSpan timeout)
    {
        _loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var result = await SendAsync("Page.navigate", new { url });
        if (result.TryGetProperty("errorText", out var error) && error.GetString() is { Length: > 0 } text)
        {
            throw new InvalidOperationException($"navigation to {url} failed: {text}");
        }

        if (await Task.WhenAny(_loaded.Task, Task.Delay(timeout)) != _loaded.Task)
        {
            throw new TimeoutException($"{url} did not fire its load event in {timeout.TotalSeconds:0} s");
        }
    }

    /// <summary>Evaluates an expression (awaiting a promise) and returns its JSON value as <typeparamref name="T"/>;
    /// a script exception throws with the page's message.</summary>
    public async Task<T> EvaluateAsync<T>(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new { expression, returnByValue = true, awaitPromise = true });
        if (result.TryGetProperty("exceptionDetails", out var details))
        {
            throw new InvalidOperationException($"script failed: {Describe(details)}\n{expression}");
        }

        var value = result.GetProperty("result");
        return value.TryGetProperty("value", out var json) ? json.Deserialize<T>()! : default!;
    }

    /// <summary>Polls <paramref name="condition"/> (a boolean expression) until true.</summary>
    public async Task WaitForAsync(string condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!await EvaluateAsync<bool>($"!!({condition})"))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"waited in vain for {condition}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Clicks the centre of the first element matching a CSS selector with real mouse events.</summary>
    public async Task ClickAsync(string selector)
    {
        var box = await EvaluateAsync<double[]>(
            $"(() => {{ const e = document.querySelector({JsonSerializer.Serialize(selector)}); if (!e) return null; e.scrollIntoView({{block:'center'}});" +
            " const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()")
            ?? throw new InvalidOperationException($"no element matches {selector}");
        foreach (var type in (string[])["mousePressed", "mouseReleased"])
        {
            await SendAsync("Input.dispatchMouseEvent", new { type, x = box[0], y = box[1], button = "left", clickCount = 1 });
        }
    }

    /// <summary>Focuses an input and types text into it as a user would (input events fire).</summary>
    public async Task TypeAsync(string selector, string text)
    {
        await EvaluateAsync<bool>($"(() => {{ const e = document.querySelector({JsonSerializer.Serialize(selector)}); e.focus(); e.select && e.select(); return true; }})()");
        await SendAsync("Input.insertText", new { text });
    }

    /// <summary>Saves a full-page PNG; a bare name goes to artifacts/screenshots/ under the repository root.</summary>
    public async Task<string> ScreenshotAsync(string pathOrName)
    {
        var path = Path.IsPathRooted(pathOrName) ? pathOrName
            : Path.Combine(RepoPaths.Root, "artifacts", "screenshots", pathOrName.EndsWith(".png", StringComparison.Ordinal) ? pathOrName : pathOrName + ".png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var metrics = await SendAsync("Page.getLayoutMetrics");
        var size = metrics.GetProperty("cssContentSize");
        // Capped: a 10 000-row table would be a picture nobody opens.
        var clip = new { x = 0, y = 0, width = Math.Max(1, size.GetProperty("width").GetDouble()), height = Math.Clamp(size.GetProperty("height").GetDouble(), 1, 8000), scale = 1 };
        var shot = await SendAsync("Page.captureScreenshot", new { format = "png", captureBeyondViewport = true, clip });
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(shot.GetProperty("data").GetString()!));
        return path;
    }

    public async Task CloseAsync()
    {
        _connection.Unsubscribe(_sessionId);
        await _connection.SendAsync("Target.closeTarget", new { targetId = TargetId });
    }

    private Task<JsonElement> SendAsync(string method, object? parameters = null) => _connection.SendAsync(method, parameters, _sessionId);

    private void OnEvent(string method, JsonElement p)
    {
        lock (_lock)
        {
            switch (method)
            {
                case "Page.loadEventFired":
                    _loaded.TrySetResult();
                    break;
                case "Runtime.consoleAPICalled" when p.GetProperty("type").GetString() is "error" or "assert":
                    _consoleErrors.Add("console: " + string.Join(" ", p.GetProperty("args").EnumerateArray().Select(ArgText)));
                    break;
                case "Runtime.exceptionThrown":
                    _exceptions.Add("exception: " + Describe(p.GetProperty("exceptionDetails")));
                    break;
                case "Log.entryAdded" when p.GetProperty("entry").GetProperty("level").GetString() == "error":
                    var entry = p.GetProperty("entry");
                    _consoleErrors.Add($"log ({entry.GetProperty("source").GetString()}): {entry.GetProperty("text").GetString()}"
                        + (entry.TryGetProperty("url", out var at) ? " " + at.GetString() : ""));
                    break;
                case "Network.requestWillBeSent":
                    var url = p.GetProperty("request").GetProperty("url").GetString()!;
                    _requestUrls[p.GetProperty("requestId").GetString()!] = url;
                    _requests.Add(url);
                    break;
                case "Network.loadingFailed":
                    var failed = _requestUrls.GetValueOrDefault(p.GetProperty("requestId").GetString()!, "?");
                    _failedRequests.Add($"request failed: {failed}: {p.GetProperty("errorText").GetString()}");
                    break;
            }
        }
    }

    private static string ArgText(JsonElement arg) =>
        arg.TryGetProperty("value", out var value) ? value.ToString()
        : arg.TryGetProperty("description", out var description) ? description.GetString() ?? "" : arg.GetProperty("type").GetString() ?? "";

    private static string Describe(JsonElement details) =>
        details.TryGetProperty("exception", out var exception) && exception.TryGetProperty("description", out var description)
            ? description.GetString() ?? "" : details.GetProperty("text").GetString() ?? "";
}
