using Akka.Actor.Setup;

namespace XmppScanCluster.ScanNode.Actors.Persistence;

/// <summary>
/// What the node's actor system is given at start, for the parts Akka constructs itself from configuration (the
/// journal plugin): the census store's journal, who writes and the clock (the log bridge has its own setup,
/// <see cref="Logging.AkkaLogging"/>).
/// </summary>
public sealed class NodeSetup(ITargetJournal journal, string nodeId, string region, TimeProvider time) : Setup
{
    public ITargetJournal Journal { get; } = journal;

    public string NodeId { get; } = nodeId;

    public string Region { get; } = region;

    public TimeProvider Time { get; } = time;
}
