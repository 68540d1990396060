namespace XmppScanCluster.Coordinator.Tests.Support;

/// <summary>Tests that must not share the machine's loopback with any other test (packet counting).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SoloCollection
{
    public const string Name = "solo";
}
