using Microsoft.Extensions.Time.Testing;

namespace XmppScanCluster.TestKit;

/// <summary>
/// Drives a <see cref="FakeTimeProvider"/> for code that waits on it from other threads. Time only moves here, so a
/// test decides on fake time (a spacing held, a timeout due) and a loaded machine only makes it slower, never
/// different. Real time appears only as a guard against a hang.
/// </summary>
public static class FakeClock
{
    /// <summary>
    /// Advances <paramref name="time"/> in <paramref name="step"/>s, letting other threads run between steps, until
    /// <paramref name="done"/> holds. Fails after <paramref name="maxSteps"/> steps (fake time) or 60 s (hang guard).
    /// </summary>
    public static async Task AdvanceUntilAsync(this FakeTimeProvider time, Func<bool> done, TimeSpan step, int maxSteps = 100_000)
    {
        var guard = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        for (var i = 0; !done(); i++)
        {
            if (i >= maxSteps || DateTime.UtcNow > guard)
            {
                throw new TimeoutException($"condition not reached after {i} steps of {step.TotalMilliseconds} ms (fake time {time.GetUtcNow():O})");
            }

            time.Advance(step);
            await Task.Delay(1).ConfigureAwait(false); // let continuations woken by the advance run and register their timers
        }
    }

    /// <summary>Advances in steps while <paramref name="task"/> runs, then returns its result.</summary>
    public static async Task<T> RunAsync<T>(this FakeTimeProvider time, Task<T> task, TimeSpan step)
    {
        await time.AdvanceUntilAsync(() => task.IsCompleted, step).ConfigureAwait(false);
        return await task.ConfigureAwait(false);
    }
}
