using XmppScanCluster.Shared.Model;

namespace XmppScanCluster.Shared.Results;

/// <summary>
/// How a domain's endpoint reports add up to the domain's status, written once for <c>xmppscan scan</c> and the
/// census. An endpoint that DNS advertises but that refuses the connection (or has no route) is a finding about the
/// domain, not a failure of the scan: when every failed endpoint is such a dead one and another endpoint was
/// scanned, the domain is <b>completed with unreachable endpoints</b> (status completed, the dead endpoints named in
/// its failure line); any other endpoint failure, or no endpoint scanned at all, fails the domain.
/// </summary>
public static class DomainOutcome
{
    /// <summary>The start of the failure line of a domain completed with unreachable endpoints.</summary>
    public const string CompletedWithUnreachable = "completed with unreachable endpoints";

    public static DomainReport Combine(string domain, XmppMode mode, DnsReport? dns, IReadOnlyList<EndpointReport> endpoints)
    {
        var failed = endpoints.Where(e => e.Status == ProbeStatus.Failed).ToList();
        if (failed.Count == 0)
        {
            return new DomainReport(domain, mode, ProbeStatus.Completed, null, dns, endpoints);
        }

        if (failed.All(IsUnreachable) && failed.Count < endpoints.Count)
        {
            var named = failed.Take(3).Select(Describe).ToList();
            var more = failed.Count > named.Count ? $" and {failed.Count - named.Count} more" : string.Empty;
            return new DomainReport(domain, mode, ProbeStatus.Completed,
                new ProbeFailure(failed[0].Failure!.Kind, $"{CompletedWithUnreachable}: {string.Join("; ", named)}{more}"), dns, endpoints);
        }

        return new DomainReport(domain, mode, ProbeStatus.Failed,
            new ProbeFailure(failed.First(e => e.Failure is not null).Failure!.Kind, $"{failed.Count} of {endpoints.Count} endpoints could not be scanned"),
            dns, endpoints);
    }

    /// <summary>Nothing answered at the transport level: connection refused (RST) or no route.</summary>
    public static bool IsUnreachable(EndpointReport endpoint) => endpoint.Failure?.Kind is FailureKind.Refused or FailureKind.Unreachable;

    /// <summary>True for a domain completed with unreachable endpoints.</summary>
    public static bool HasUnreachableEndpoints(DomainReport report) =>
        report.Status == ProbeStatus.Completed && report.Failure is { Kind: FailureKind.Refused or FailureKind.Unreachable };

    private static string Describe(EndpointReport e)
    {
        var address = e.Address.Contains(':', StringComparison.Ordinal) ? $"[{e.Address}]" : e.Address;
        var how = e.Source switch
        {
            EndpointSource.Srv => "advertised by SRV",
            EndpointSource.AddressFallback => "the default port (no SRV)",
            _ => "named by the operator",
        };
        var what = e.Failure!.Kind == FailureKind.Refused ? "refused" : "unreachable";
        return $"{e.Target} {address}:{e.Port} {e.Transport.Name()} {how}, {what}";
    }
}
