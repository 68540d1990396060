using Akka.Configuration;

namespace XmppScanCluster.ScanNode.Actors.Persistence;

/// <summary>
/// The node actor system's configuration besides persistence (<see cref="CensusPersistence"/>, in front of this):
/// event payloads through <see cref="EventSerializer"/>, and Akka's own log lines (warnings and errors) to
/// Microsoft.Extensions.Logging through <see cref="Logging.AkkaLogBridge"/> (into the node's log) instead of standard
/// output, which belongs to the census's progress display.
/// </summary>
public static class NodeActorConfig
{
    public static Config Config { get; } = ConfigurationFactory.ParseString($$"""
        akka {
          loggers = ["{{typeof(Logging.AkkaLogBridge).AssemblyQualifiedName}}"]
          loglevel = WARNING
          stdout-loglevel = OFF
          log-dead-letters = off
          log-dead-letters-during-shutdown = off
          # The node stops its actor system itself when its work is done or cancelled.
          coordinated-shutdown.run-by-clr-shutdown-hook = off
          actor {
            serializers.xmppscan-events = "{{typeof(EventSerializer).AssemblyQualifiedName}}"
            serialization-bindings {
              "{{typeof(Shared.Events.IEventData).AssemblyQualifiedName}}" = xmppscan-events
            }
          }
        }
        """);
}
