using Akka.Actor.Setup;

namespace XmppScanCluster.ScanNode.Actors.Persistence;

/// <summary>
/// What the node's actor system is given at start, for the parts Akka constructs itself from configuration (the
/// log bridge): the clock and the node's log. Who writes is <see cref="WriterSetup"/>.
/// </summary>
public sealed class NodeSetup(TimeProvider time, TextWriter log) : Setup
{
    public TimeProvider Time { get; } = time;

    public TextWriter Log { get; } = log;
}
