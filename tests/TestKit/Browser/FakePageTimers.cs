namespace XmppScanCluster.TestKit;

/// <summary>
/// A fake clock for a page's timers, the browser-side twin of <c>FakeTimeProvider</c>: installed before the page's
/// scripts run, it is what <c>window.__xmppscanTimers</c> hands the dashboard script, so polling happens when the test
/// calls <see cref="Advance"/> instead of after real seconds on a loaded machine.
/// </summary>
public static class FakePageTimers
{
    public const string Script = """
        (function () {
          var now = 0, next = 1, pending = new Map();
          window.__xmppscanTimers = {
            set: function (f, ms) { var id = next++; pending.set(id, { due: now + ms, f: f }); return id; },
            clear: function (id) { pending.delete(id); }
          };
          window.__fakeTimers = {
            advance: function (ms) {
              now += ms;
              var due = Array.from(pending.entries()).filter(function (e) { return e[1].due <= now; })
                .sort(function (a, b) { return a[1].due - b[1].due; });
              due.forEach(function (e) { pending.delete(e[0]); e[1].f(); });
              return due.length;
            },
            pending: function () { return pending.size; }
          };
        })();
        """;

    /// <summary>Moves the page's clock forward; returns how many timers fired.</summary>
    public static Task<int> Advance(BrowserPage page, TimeSpan by) =>
        page.EvaluateAsync<int>($"window.__fakeTimers.advance({(long)by.TotalMilliseconds})");

    /// <summary>Timers scheduled and not yet fired or cleared (the next poll, a fetch's abort timer).</summary>
    public static Task<int> Pending(BrowserPage page) => page.EvaluateAsync<int>("window.__fakeTimers.pending()");
}
