using System.Globalization;
using XmppScanCluster.ScanNode.Node;

namespace XmppScanCluster.Coordinator.Cli;

/// <summary>The <c>--targets-in-flight</c> default as <c>census</c> and <c>node</c> explain it (<see cref="InFlightSizing"/>).</summary>
internal static class InFlightHelp
{
    public static string Text => "Default: sized by memory, " + Invariant(InFlightSizing.ForThisProcess()) + " here (1/"
        + Invariant(InFlightSizing.MemoryShare) + " of the memory at " + Invariant(InFlightSizing.BytesPerTarget / 1024)
        + " KiB per target, at most " + Invariant(InFlightSizing.Max) + "), reached by a ramp: "
        + Invariant(InFlightSizing.RampStart(Environment.ProcessorCount, InFlightSizing.Max)) + " at first ("
        + Invariant(InFlightSizing.RampStartPerCore) + " per core), one more per finished target while the node keeps up, "
        + "halved when it falls behind. Whatever the bound, the addresses with the most "
        + "targets left go first and one address holds at most --max-per-ip × (1 + 0.5 s / --spacing) of them ("
        + Invariant(InFlightSizing.MinLanesPerConnection) + "-" + Invariant(InFlightSizing.MaxLanesPerConnection) + " per connection)";

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
