using Akka.Actor.Setup;

namespace XmppScanCluster.ScanNode.Actors.Persistence;

/// <summary>
/// What the node's actor system is given at start, for the parts Akka constructs itself from configuration (the
/// journal plugin, the log bridge): the census store's journal, who writes, the clock and the node's log.
/// </summary>
public sealed class NodeSetup(ITargetJournal journal, string nodeId, string region, TimeProvider time, TextWriter log) : Setup
{
    public ITargetJournal Journal { get; } = journal;

    public string NodeId { get; } = nodeId;

    public string Region { get; } = region;

    public TimeProvider Time { get; } = time;

    public TextWriter Log { get; } = log;
}
