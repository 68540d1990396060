using System.Globalization;
using XmppScanCluster.ScanNode.Node;

namespace XmppScanCluster.Coordinator.Cli;

/// <summary>The <c>--targets-in-flight</c> default as <c>census</c> and <c>node</c> explain it (<see cref="InFlightSizing"/>).</summary>
internal static class InFlightHelp
{
    public static string Text => string.Create(CultureInfo.InvariantCulture,
        $"Default: sized by memory, {InFlightSizing.ForThisProcess()} here (1/{InFlightSizing.MemoryShare} of the memory at "
        + $"{InFlightSizing.BytesPerTarget / 1024} KiB per target, at most {InFlightSizing.Max}). Whatever the bound, one address "
        + $"shard holds at most {InFlightSizing.LanesPerConnection} × --max-per-ip per address of them, the busiest addresses first");
}
