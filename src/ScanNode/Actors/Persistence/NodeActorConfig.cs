using Akka.Configuration;

namespace XmppScanCluster.ScanNode.Actors.Persistence;

/// <summary>
/// The node actor system's configuration: event payloads through <see cref="EventSerializer"/>, target actors
/// journaled by <see cref="CensusJournal"/> (no snapshots: a target's stream is short), and Akka's own log lines
/// (warnings and errors) to Microsoft.Extensions.Logging through <see cref="Logging.AkkaLogBridge"/> (into the node's log)
/// instead of standard output, which belongs to the census's progress display.
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
          persistence {
            journal {
              plugin = "akka.persistence.journal.census"
              census {
                class = "{{typeof(CensusJournal).AssemblyQualifiedName}}"
                plugin-dispatcher = "akka.actor.default-dispatcher"
                event-adapters.census-tagging = "{{typeof(CensusTagging).AssemblyQualifiedName}}"
                event-adapter-bindings { "{{typeof(CensusEvent).AssemblyQualifiedName}}" = census-tagging }
              }
            }
            snapshot-store.plugin = "akka.persistence.no-snapshot-store"
          }
        }
        """);
}
