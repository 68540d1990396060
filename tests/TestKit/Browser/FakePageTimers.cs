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
            set: function (f, ms) { var id = next++; pending.set(id, { due: now + ms, ms: ms, f: f }); return id; },
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
            pending: function () { return pending.size; },
            delays: function () { return Array.from(pending.values()).map(function (t) { return t.ms; }).sort(function (a, b) { return a - b; }).join(); }
          };
        })();
        """;

    /// <summary>Moves the page's clock forward; returns how many timers fired.</summary>
    public static Task<int> Advance(BrowserPage page, TimeSpan by) =>
        page.EvaluateAsync<int>($"window.__fakeTimers.advance({(long)by.TotalMilliseconds})");

    /// <summary>Timers scheduled and not yet fired or cleared (the next poll, a fetch's abort timer).</summary>
    public static Task<int> Pending(BrowserPage page) => page.EvaluateAsync<int>("window.__fakeTimers.pending()");

    /// <summary>
    /// A page condition: the only timer pending is one of <paramref name="delay"/>. The dashboard's round is over and
    /// its next poll scheduled exactly when that holds. Counting timers alone cannot tell: while the last fragment's
    /// fetch is in flight its abort timer is the one pending timer too, and a test that advances the clock then moves
    /// it before the poll exists (the CI failure of session 21: the poll that should have met the stopped coordinator
    /// was never scheduled on the clock the test had advanced).
    /// </summary>
    public static string OnlyPending(TimeSpan delay) =>
        $"window.__fakeTimers.delays() === '{(long)delay.TotalMilliseconds}'";
}
