using Akka.Actor.Setup;

namespace XmppScanCluster.ScanNode.Actors.Persistence;

/// <summary>
/// What the node's actor system is given at start, for the parts Akka constructs itself from configuration (the
/// log bridge has its own setup, <see cref="Logging.AkkaLogging"/>): the clock. Who writes is <see cref="WriterSetup"/>.
/// </summary>
public sealed class NodeSetup(TimeProvider time) : Setup
{
    public TimeProvider Time { get; } = time;
}
