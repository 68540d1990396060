namespace XmppScanCluster.Coordinator.Tests.Browser;

/// <summary>
/// The browser harness itself: a clean page reports no problem, a broken page reports each kind of problem (so
/// "no console errors" in the site tests can fail), evaluation, input and screenshots work, and a missing
/// browser says how to install it.
/// </summary>
public sealed class ChromiumHarnessTests
{
    [Fact]
    public async Task CleanFilePage_noProblems_evaluatesTypesAndScreenshots()
    {
        var dir = Directory.CreateTempSubdirectory("xmppscan-harness-");
        try
        {
            var file = Path.Combine(dir.FullName, "clean.html");
            await File.WriteAllTextAsync(file, """
                <!DOCTYPE html><html><head><meta charset="utf-8"><title>clean</title></head><body>
                <h1 id="h">ready</h1><input id="q"><p id="echo"></p><button id="b" onclick="this.textContent='clicked'">click</button>
                <script>document.getElementById('q').addEventListener('input', e => document.getElementById('echo').textContent = e.target.value);</script>
                </body></html>
                """);
            await using var browser = await Chromium.StartAsync();
            var page = await browser.OpenFileAsync(file);

            Assert.Equal("ready", await page.EvaluateAsync<string>("document.getElementById('h').textContent"));
            Assert.Equal(42, await page.EvaluateAsync<int>("Promise.resolve(6 * 7)"));
            await page.TypeAsync("#q", "xmpp");
            Assert.Equal("xmpp", await page.EvaluateAsync<string>("document.getElementById('echo').textContent"));
            await page.ClickAsync("#b");
            await page.WaitForAsync("document.getElementById('b').textContent === 'clicked'");
            Assert.Empty(page.Problems);
            Assert.All(page.Requests, url => Assert.StartsWith("file://", url, StringComparison.Ordinal));

            var shot = await page.ScreenshotAsync("harness-clean");
            var png = await File.ReadAllBytesAsync(shot);
            Assert.True(png.Length > 100 && png[1] == (byte)'P' && png[2] == (byte)'N' && png[3] == (byte)'G', shot);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task BrokenPage_reportsConsoleErrorExceptionAndFailedRequest()
    {
        const string html = "<!DOCTYPE html><img src='file:///nonexistent/xmppscan.png'>" +
            "<script>console.error('boom'); setTimeout(() => { throw new Error('uncaught-x'); }, 0);</script>";
        await using var browser = await Chromium.StartAsync();
        var page = await browser.OpenAsync("data:text/html," + Uri.EscapeDataString(html));
        // The timer's exception and the image's failure arrive after the load event: wait for them (the guard only
        // ends a wait for a report that never comes).
        var guard = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((page.Exceptions.Count == 0 || page.FailedRequests.Count == 0) && DateTime.UtcNow < guard)
        {
            await Task.Delay(50);
        }

        Assert.Contains(page.ConsoleErrors, e => e.Contains("boom", StringComparison.Ordinal));
        Assert.Contains(page.Exceptions, e => e.Contains("uncaught-x", StringComparison.Ordinal));
        Assert.Contains(page.FailedRequests, e => e.Contains("/nonexistent/xmppscan.png", StringComparison.Ordinal));
        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => page.EvaluateAsync<int>("nosuchfunction()"));
        Assert.Contains("nosuchfunction", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingBrowser_saysHowToInstallIt()
    {
        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => Chromium.StartAsync("/nonexistent/chromium"));
        Assert.Contains("install-deps.sh", thrown.Message, StringComparison.Ordinal);
    }
}
