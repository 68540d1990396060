using Spectre.Console;
using XmppScanCluster.Coordinator.Store;

namespace XmppScanCluster.Coordinator.Census;

/// <summary>
/// Shows a census's progress while a run goes on: a Spectre.Console progress bar on a terminal,
/// otherwise one line whenever the counts change (logs, tests). Counts come from the store, so they include
/// targets finished before a resume.
/// </summary>
public sealed class CensusProgressView(ICensusStore store, Guid censusId, string region, TextWriter output, bool terminal)
{
    public async Task RunAsync(Task work, CancellationToken ct)
    {
        if (terminal)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
            await console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async ctx =>
                {
                    var bar = ctx.AddTask(Markup.Escape($"census [{region}]"));
                    while (true)
                    {
                        if (await ReadAsync(ct).ConfigureAwait(false) is { } p)
                        {
                            bar.MaxValue = Math.Max(1, p.TargetsTotal);
                            bar.Value = p.TargetsDone + p.TargetsFailed;
                            bar.Description = Markup.Escape($"census [{region}] {p.TargetsDone} done, {p.TargetsFailed} failed, {p.TargetsRemaining} left");
                        }

                        if (work.IsCompleted)
                        {
                            break;
                        }

                        await Task.WhenAny(work, Task.Delay(500, CancellationToken.None)).ConfigureAwait(false);
                    }
                }).ConfigureAwait(false);
            return;
        }

        string? last = null;
        while (true)
        {
            if (await ReadAsync(ct).ConfigureAwait(false) is { } p)
            {
                var line = $"progress [{region}]: {p.TargetsDone + p.TargetsFailed}/{p.TargetsTotal} targets ({p.TargetsDone} done, {p.TargetsFailed} failed)";
                if (line != last)
                {
                    await output.WriteLineAsync(line).ConfigureAwait(false);
                    await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                    last = line;
                }
            }

            if (work.IsCompleted)
            {
                return;
            }

            await Task.WhenAny(work, Task.Delay(1000, CancellationToken.None)).ConfigureAwait(false);
        }
    }

    private async Task<RegionProgress?> ReadAsync(CancellationToken ct)
    {
        try
        {
            return (await store.GetProgressAsync(censusId, CancellationToken.None).ConfigureAwait(false))
                .FirstOrDefault(p => p.Region == region);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            return null; // a store hiccup only delays the display
        }
        catch (Exception)
        {
            return null;
        }
    }
}
