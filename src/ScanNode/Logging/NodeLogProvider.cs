using Microsoft.Extensions.Logging;

namespace XmppScanCluster.ScanNode.Logging;

/// <summary>
/// Microsoft.Extensions.Logging into a node's log file, one line per entry in the format the deploy and cluster scripts
/// read (deploy/cluster/up.sh waits for "up in cluster"): <c>HH:mm:ss.fff CATEGORY: MESSAGE</c>, the node's own lines
/// under the category <c>node ID</c>, Akka's under <c>akka</c> (<see cref="AkkaLogBridge"/>); an exception is added as
/// <c>(Type: message)</c>, never a stack trace. Information and above; standard output stays the progress display's.
/// </summary>
public sealed class NodeLogProvider(TextWriter writer, TimeProvider? time = null) : ILoggerProvider
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Write(string category, LogLevel level, string message, Exception? exception)
    {
        var severity = level switch
        {
            LogLevel.Warning => " warning",
            >= LogLevel.Error => " error",
            _ => "",
        };
        var line = $"{_time.GetUtcNow():HH:mm:ss.fff} {category}{severity}: {message}{(exception is null ? "" : $" ({exception.GetType().Name}: {exception.Message})")}";

        // The node's writer is shared with whoever else writes that file; lines must not interleave.
        lock (writer)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }

    private sealed class Logger(NodeLogProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel is >= LogLevel.Information and < LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider.Write(category, logLevel, formatter(state, exception), exception);
            }
        }
    }
}
