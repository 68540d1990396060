using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Dispatch;
using Akka.Event;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace XmppScanCluster.ScanNode.Logging;

/// <summary>The <see cref="ILoggerFactory"/> Akka's log events go to (<see cref="AkkaLogBridge"/>); without it they are
/// dropped.</summary>
public sealed class AkkaLogging(ILoggerFactory factory) : Setup
{
    public ILoggerFactory Factory { get; } = factory;
}

/// <summary>
/// Akka's logger (configured in <c>NodeActorConfig</c>) bridged to Microsoft.Extensions.Logging: every Akka log event
/// becomes one entry of the category <c>akka</c> at the matching level, with its source (the actor path) before the
/// message. Akka.Logger.Extensions.Logging is not served here; the bridge is this small actor.
/// </summary>
public sealed class AkkaLogBridge : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    public const string Category = "akka";

    public AkkaLogBridge()
    {
        var setup = Context.System.Settings.Setup.Get<AkkaLogging>();
        var logger = (setup.HasValue ? setup.Value.Factory : NullLoggerFactory.Instance).CreateLogger(Category);
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(e => logger.Log(Level(e.LogLevel()), default, (e.LogSource, e.Message), e.Cause,
            static (s, _) => $"{s.LogSource}: {s.Message}"));
    }

    private static LogLevel Level(Akka.Event.LogLevel level) => level switch
    {
        Akka.Event.LogLevel.DebugLevel => LogLevel.Debug,
        Akka.Event.LogLevel.InfoLevel => LogLevel.Information,
        Akka.Event.LogLevel.WarningLevel => LogLevel.Warning,
        _ => LogLevel.Error,
    };
}
