using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.Coordinator.Grading.Rules.Transport;

/// <summary>How a transport rule names the endpoint it judges.</summary>
internal static class TransportText
{
    public static string Advertised(GradingInput input) => input.Source switch
    {
        EndpointSource.Srv => $"the SRV-advertised {input.Mode.Name()} STARTTLS endpoint",
        EndpointSource.AddressFallback => $"the {input.Mode.Name()} endpoint on the default port (no SRV, RFC 6120 §3.2.2)",
        _ => $"the {input.Mode.Name()} STARTTLS endpoint",
    };
}
