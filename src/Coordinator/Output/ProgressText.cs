using System.Globalization;
using XmppScanCluster.ScanNode.Progress;

namespace XmppScanCluster.Coordinator.Output;

/// <summary>
/// A progress snapshot in words: a summary (targets, connections done of the planned number, elapsed, ETA), the steps
/// running now on their endpoints, and the politeness waits ("waiting 1.6 s for 192.0.2.1 (spacing)"). As a block of
/// lines for a terminal, or as one line for logs and pipes.
/// </summary>
public static class ProgressText
{
    /// <summary>Running steps shown before "+N more".</summary>
    public const int MaxSteps = 4;

    /// <summary>"2/3 targets, 37/~450 connections, 0:01:10 elapsed, ETA 0:04:10".</summary>
    public static string Summary(ProgressSnapshot s) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{s.TargetsDone}/{s.TargetsTotal} targets, {s.ConnectionsDone}/~{s.ConnectionsPlanned} connections, {Clock(s.Elapsed)} elapsed, ETA {(s.Eta is { } eta ? Clock(eta) : "--:--:--")}");

    /// <summary>"modern.test 127.0.0.5:5222: assessment, 23/~70 connections", or "modern.test: discovery (DNS)".</summary>
    public static string Step(ActiveStep step) => step.Where is null
        ? $"{TerminalText.Safe(step.Domain)}: {StepWords(step.Step)}"
        : string.Create(CultureInfo.InvariantCulture,
            $"{TerminalText.Safe(step.Domain)} {step.Where}: {StepWords(step.Step)}, {step.Connections}/~{step.Planned} connections");

    /// <summary>"waiting 1.6 s for 192.0.2.1 (spacing)".</summary>
    public static string Wait(PolitenessWait wait) =>
        string.Create(CultureInfo.InvariantCulture,
            $"waiting {Math.Ceiling(wait.Remaining.Ticks / (TimeSpan.TicksPerSecond / 10.0)) / 10:0.0} s for {wait.Address} ({(wait.Reason == WaitReason.BackOff ? "back-off: the server throttled us" : "spacing")})");

    /// <summary>The terminal block: the summary, then one line per running step and per wait.</summary>
    public static IReadOnlyList<string> Lines(ProgressSnapshot s)
    {
        var lines = new List<string> { Summary(s) };
        lines.AddRange(s.Active.Take(MaxSteps).Select(a => "  " + Step(a)));
        if (s.Active.Count > MaxSteps)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"  +{s.Active.Count - MaxSteps} more steps running"));
        }

        lines.AddRange(s.Waits.Take(MaxSteps).Select(w => "  " + Wait(w)));
        if (s.Waits.Count > MaxSteps)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"  +{s.Waits.Count - MaxSteps} more addresses waiting"));
        }

        return lines;
    }

    /// <summary>One line for logs and pipes: "progress: SUMMARY; STEP; WAIT".</summary>
    public static string Line(ProgressSnapshot s)
    {
        var parts = new List<string> { "progress: " + Summary(s) };
        parts.AddRange(s.Active.Take(MaxSteps).Select(Step));
        if (s.Active.Count > MaxSteps)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"+{s.Active.Count - MaxSteps} more steps"));
        }

        parts.AddRange(s.Waits.Take(MaxSteps).Select(Wait));
        return string.Join("; ", parts);
    }

    /// <summary>What the line mode prints a line for: targets done, the steps running and the addresses waiting (not
    /// every connection, nor the seconds counting down).</summary>
    public static string CoarseState(ProgressSnapshot s) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{s.TargetsDone}|{string.Join(",", s.Active.Select(a => a.Domain + a.Where + a.Step))}|{string.Join(",", s.Waits.Select(w => w.Address))}");

    /// <summary>The census's step names in words.</summary>
    public static string StepWords(string step) => step switch
    {
        "discover" => "discovery (DNS)",
        "session" => "session",
        "tls_assessment" => "assessment (protocols, suites)",
        "certificate" => "certificate",
        "vulnerabilities" => "probes",
        "client_simulation" => "client simulation",
        _ => step.Replace('_', ' '),
    };

    /// <summary>"0:04:10"; days as hours.</summary>
    public static string Clock(TimeSpan t) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}");
}
