using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;

namespace XmppScanCluster.ScanNode.Actors.Persistence;

/// <summary>Akka's logger for the node: its warnings and errors go to the node's log (<see cref="NodeSetup.Log"/>),
/// one line each, stamped like the node's own lines.</summary>
public sealed class NodeLogBridge : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    public NodeLogBridge()
    {
        var setup = Context.System.Settings.Setup.Get<NodeSetup>();
        var log = setup.HasValue ? setup.Value.Log : TextWriter.Null;
        var time = setup.HasValue ? setup.Value.Time : TimeProvider.System;
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(e =>
        {
            lock (log)
            {
                log.WriteLine($"{time.GetUtcNow():HH:mm:ss.fff} akka {e.LogLevel().ToString().Replace("Level", "", StringComparison.Ordinal).ToLowerInvariant()} {e.LogSource}: {e.Message}{(e.Cause is { } c ? $" ({c.GetType().Name}: {c.Message})" : "")}");
                log.Flush();
            }
        });
    }
}
