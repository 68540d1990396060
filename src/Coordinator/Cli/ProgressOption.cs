using System.CommandLine;

namespace XmppScanCluster.Coordinator.Cli;

/// <summary><c>--progress</c>, the same in <c>scan</c> and <c>census</c>.</summary>
public static class ProgressOption
{
    /// <param name="pipeDefault">What auto means when standard error is not a terminal: "lines" or "none".</param>
    public static Option<string> Create(string pipeDefault)
    {
        var option = new Option<string>("--progress")
        {
            Description = "Progress on standard error: auto (redrawn on a terminal, otherwise " + pipeDefault + "), terminal, lines (one line when "
                + "something changes, for logs) or none. Shows the steps running, connections done of the planned number, politeness waits and an ETA",
            DefaultValueFactory = _ => "auto",
            HelpName = "MODE",
        };
        option.AcceptOnlyFromAmong("auto", "terminal", "lines", "none");
        return option;
    }

    /// <summary><c>--progress-every SECONDS</c>: the line mode's pace.</summary>
    public static Option<double> CreateEvery()
    {
        var option = new Option<double>("--progress-every")
        {
            Description = "With lines: at most one progress line per SECONDS when something changed, one per ten times that otherwise",
            DefaultValueFactory = _ => Output.ProgressDisplay.DefaultLineInterval.TotalSeconds,
            HelpName = "SECONDS",
        };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is not (>= 0.05 and <= 3600))
            {
                r.AddError("--progress-every must be between 0.05 and 3600 seconds");
            }
        });
        return option;
    }
}
