using System.CommandLine;

namespace XmppScanCluster.Coordinator.Cli;

/// <summary><c>--fetch-aia</c>, the same in <c>scan</c> and <c>census</c> (the census stores it with its settings).</summary>
public static class FetchAiaOption
{
    public static Option<bool> Create() => new("--fetch-aia")
    {
        Description = "When a server does not send an issuer the trust store lacks, fetch it from the certificate's AIA URL (tells an incomplete chain from an unknown CA; contacts that URL's host)",
    };
}
