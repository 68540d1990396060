using XmppScanCluster.Shared.ClientSimulation;

namespace XmppScanCluster.ScanNode.Progress;

/// <summary>
/// Connections a step is expected to open on one endpoint before any endpoint of the run has finished it: the first
/// estimate of <see cref="ScanProgress"/>, replaced by the run's own means as soon as there are some. Measured on the
/// testbed's servers (the assessment ranges from about 25 on a TLS 1.3-only server to 70 on one with many suites).
/// </summary>
public static class StepCosts
{
    public static double Expected(string step) => step switch
    {
        "session" => 1,
        "tls_assessment" => 45,
        "certificate" => 3,
        "vulnerabilities" => 12,
        "client_simulation" => ClientProfileCatalog.All.Count,
        _ => 0,
    };
}
