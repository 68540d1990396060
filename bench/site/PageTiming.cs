using System.Globalization;
using System.Text.Json;

namespace XmppScanCluster.SiteBench;

/// <summary>
/// Opens a page from <c>file://</c> in headless Chromium (the tests' harness), a fresh browser per run so no run
/// reuses another's cache, and prints one line of JSON with the medians: navigation start → load event end and
/// → first contentful paint (Performance API), the wall time from the navigate command to the load event, the
/// page's weight (every file it requested, summed), and whether any console error, exception or failed request
/// occurred.
/// </summary>
internal static class PageTiming
{
    private const string Timings = """
        (() => { const n = performance.getEntriesByType('navigation')[0];
                 const f = performance.getEntriesByName('first-contentful-paint')[0];
                 return [n.loadEventEnd - n.startTime, f ? f.startTime : -1, n.domContentLoadedEventEnd - n.startTime]; })()
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var file = Path.GetFullPath(Arg(args, "--file") ?? throw new ArgumentException("--file PATH needed"));
        var runs = int.Parse(Arg(args, "--runs") ?? "3", CultureInfo.InvariantCulture);
        List<double> load = [], paint = [], ready = [], wall = [];
        long bytes = 0;
        var requests = 0;
        var problems = new List<string>();
        for (var i = 0; i < runs; i++)
        {
            await using var browser = await Chromium.StartAsync();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var page = await browser.OpenFileAsync(file, TimeSpan.FromSeconds(60));
            wall.Add(clock.Elapsed.TotalMilliseconds);
            await page.WaitForAsync("performance.getEntriesByType('navigation')[0].loadEventEnd > 0");
            try
            {
                // The paint entry is recorded when the compositor reports the frame, which can come after the load event.
                await page.WaitForAsync("performance.getEntriesByName('first-contentful-paint').length > 0", TimeSpan.FromSeconds(5));
            }
            catch (TimeoutException)
            {
                // Reported as -1: no paint entry.
            }

            var t = await page.EvaluateAsync<double[]>(Timings);
            load.Add(t[0]);
            paint.Add(t[1]);
            ready.Add(t[2]);
            var files = page.Requests.Where(u => u.StartsWith("file://", StringComparison.Ordinal)).Distinct().Select(u => new Uri(u).LocalPath).ToList();
            bytes = files.Where(File.Exists).Sum(f => new FileInfo(f).Length);
            requests = files.Count;
            problems.AddRange(page.Problems);
        }

        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["page"] = Path.GetFileName(file),
            ["runs"] = runs,
            ["load_ms"] = Median(load),
            ["fcp_ms"] = Median(paint),
            ["dom_content_loaded_ms"] = Median(ready),
            ["wall_ms"] = Median(wall),
            ["bytes"] = bytes,
            ["requests"] = requests,
            ["problems"] = problems.Distinct().ToList(),
        }));
        return problems.Count == 0 ? 0 : 1;
    }

    private static double Median(List<double> values) => Math.Round(values.Order().ElementAt(values.Count / 2), 1);

    private static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
