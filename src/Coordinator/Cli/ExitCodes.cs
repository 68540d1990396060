namespace XmppScanCluster.Coordinator.Cli;

/// <summary>The documented process exit codes of <c>xmppscan</c> (README, "Exit codes").</summary>
public static class ExitCodes
{
    /// <summary>Every target was scanned (whatever its grade).</summary>
    public const int Success = 0;

    /// <summary>At least one target could not be scanned (DNS failure, refused, timeout, …).</summary>
    public const int SomeTargetsFailed = 1;

    /// <summary>The command line was wrong: unknown option, invalid domain, unreadable file. Nothing was scanned.</summary>
    public const int Usage = 2;

    /// <summary>Interrupted by the operator (Ctrl-C), 128 + SIGINT as shells do.</summary>
    public const int Interrupted = 130;

    /// <summary>Stopped by SIGTERM (kill, a service manager), 128 + SIGTERM as shells do.</summary>
    public const int Terminated = 143;
}
