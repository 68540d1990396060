namespace XmppScanCluster.Coordinator.Cli;

/// <summary>Bad input from the user: reported as one line, exit code 2, never a stack trace.</summary>
public sealed class UsageException(string message) : Exception(message);
