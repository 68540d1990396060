using XmppScanCluster.ScanNode.Progress;

namespace XmppScanCluster.Coordinator.Output;

/// <summary>How progress is shown: <c>--progress</c>.</summary>
public enum ProgressMode
{
    /// <summary>Nothing.</summary>
    None,

    /// <summary>One line when something changed (targets done, the running steps, the addresses waiting), at most one
    /// per interval, and one every ten intervals while nothing changes: logs, pipes, files.</summary>
    Lines,

    /// <summary>A block of lines redrawn in place a few times a second (a terminal).</summary>
    Terminal,
}

/// <summary>
/// Shows a <see cref="ScanProgress"/> on standard error while the work runs, so standard output (the report, JSON)
/// is never mixed with it. On a terminal the block is redrawn in place with ANSI cursor movement; anything else the
/// command prints meanwhile goes through <see cref="WriteAboveAsync"/>, which erases the block first.
/// </summary>
public sealed class ProgressDisplay(ScanProgress progress, TextWriter writer, ProgressMode mode, int width, TimeProvider? time = null,
    TimeSpan? lineInterval = null)
{
    /// <summary>The line mode's default: at most one line per this.</summary>
    public static readonly TimeSpan DefaultLineInterval = TimeSpan.FromSeconds(5);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly TimeSpan _interval = lineInterval is { } i && i > TimeSpan.Zero ? i : DefaultLineInterval;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private int _drawn;
    private string? _lastState;
    private DateTimeOffset _lastLine = DateTimeOffset.MinValue;

    /// <summary>The mode for <c>--progress</c>'s value: auto is <see cref="ProgressMode.Terminal"/> when
    /// <paramref name="errorIsTerminal"/>, else <paramref name="pipeDefault"/>.</summary>
    public static ProgressMode Parse(string value, bool errorIsTerminal, ProgressMode pipeDefault) => value switch
    {
        "none" => ProgressMode.None,
        "lines" => ProgressMode.Lines,
        "terminal" => ProgressMode.Terminal,
        _ => errorIsTerminal ? ProgressMode.Terminal : pipeDefault,
    };

    /// <summary>Standard error is a terminal (the console's, not a test's writer).</summary>
    public static bool IsTerminal(TextWriter error) => ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;

    /// <summary>Shows the progress until <paramref name="work"/> ends, then leaves the last state (lines) or erases it (terminal).</summary>
    public async Task RunAsync(Task work)
    {
        if (mode == ProgressMode.None)
        {
            return;
        }

        var interval = mode == ProgressMode.Terminal ? TimeSpan.FromMilliseconds(250) : TimeSpan.FromTicks(Math.Min(_interval.Ticks, TimeSpan.TicksPerSecond));
        while (!work.IsCompleted)
        {
            await TickAsync().ConfigureAwait(false);
            await Task.WhenAny(work, Task.Delay(interval, _time, CancellationToken.None)).ConfigureAwait(false);
        }

        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (mode == ProgressMode.Terminal)
            {
                Erase();
            }
            else
            {
                await WriteLineAsync(ProgressText.Line(progress.Snapshot())).ConfigureAwait(false);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Draws the block (terminal), or writes a line if something changed and the interval has passed, or ten
    /// intervals passed (lines).</summary>
    public async Task TickAsync()
    {
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            var snapshot = progress.Snapshot();
            if (mode == ProgressMode.Terminal)
            {
                Erase();
                var lines = ProgressText.Lines(snapshot);
                foreach (var line in lines)
                {
                    // Never wider than the terminal: a wrapped line would break the cursor arithmetic of the redraw.
                    writer.Write((line.Length >= width ? line[..Math.Max(1, width - 2)] + "…" : line) + "\n");
                }

                _drawn = lines.Count;
                await writer.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                return;
            }

            var state = ProgressText.CoarseState(snapshot);
            var now = _time.GetUtcNow();
            var since = now - _lastLine;
            if ((state != _lastState && since >= _interval) || since >= _interval * 10)
            {
                _lastState = state;
                _lastLine = now;
                await WriteLineAsync(ProgressText.Line(snapshot)).ConfigureAwait(false);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Writes other output (a domain's report) with the progress block out of the way.</summary>
    public async Task WriteAboveAsync(Func<Task> write)
    {
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (mode == ProgressMode.Terminal)
            {
                Erase();
                await writer.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            }

            await write().ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task WriteLineAsync(string line)
    {
        await writer.WriteLineAsync(line).ConfigureAwait(false);
        await writer.FlushAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Cursor to the first line of the block, then clear to the end of the screen (CSI F, CSI J).</summary>
    private void Erase()
    {
        if (_drawn > 0)
        {
            writer.Write($"\u001b[{_drawn}F\u001b[0J");
            _drawn = 0;
        }
    }
}
