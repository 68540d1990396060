using System.CommandLine;

namespace XmppScanCluster.Coordinator.Cli;

/// <summary><c>--no-sharing</c>, the same in <c>scan</c> and <c>census</c> (the census stores it with its settings, so every
/// node scans alike).</summary>
public static class NoSharingOption
{
    public static Option<bool> Create() => new("--no-sharing")
    {
        Description = "Assess and probe every endpoint's TLS on its own: no endpoint reuses the verified assessment, vulnerability probes or "
            + "client simulation of another endpoint of the same address (same server, other port or domain)",
    };
}
