using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.ScanNode.Actors;

/// <summary>
/// The per-domain result as a projection of a mode's step events: DNS from <c>discovery_completed</c>, each
/// endpoint's report from its step facts, or, when a step could not run, a report that says why — the result of a census
/// and of <c>xmppscan scan</c> alike (<see cref="LocalTargetScan"/>). A disabled service is a completed finding; no
/// endpoint is a DNS failure; endpoints add up as <see cref="DomainOutcome"/> says (a dead advertised endpoint leaves the domain completed).
/// </summary>
public static class DomainReportProjection
{
    public static DomainReport Build(string domain, XmppMode mode, ModeProgress m, IReadOnlyList<string> endpointSteps)
    {
        var dns = m.Dns;
        if (dns is null)
        {
            return new DomainReport(domain, mode, ProbeStatus.Failed,
                m.DiscoveryFailure ?? new ProbeFailure(FailureKind.DnsFailure, "discovery did not complete"), null, []);
        }

        if (dns.ServiceDisabled)
        {
            return new DomainReport(domain, mode, ProbeStatus.Completed, null, dns, []);
        }

        if (m.Endpoints.Count == 0)
        {
            var failure = m.DiscoveryFailure ?? dns.Problems.FirstOrDefault()
                ?? new ProbeFailure(FailureKind.DnsFailure, $"no {mode.Name()} endpoint found for {domain}");
            return new DomainReport(domain, mode, ProbeStatus.Failed, failure, dns, []);
        }

        var endpoints = new List<EndpointReport>(m.Endpoints.Count);
        for (var i = 0; i < m.Endpoints.Count; i++)
        {
            endpoints.Add(m.Reports.TryGetValue(i, out var report) ? report : Unscanned(m, i, endpointSteps));
        }

        return DomainOutcome.Combine(domain, mode, dns, endpoints);
    }

    /// <summary>An endpoint no step reported on: failed with the first step's reason (inconclusive stays visible).</summary>
    private static EndpointReport Unscanned(ModeProgress m, int index, IReadOnlyList<string> endpointSteps)
    {
        var e = m.Endpoints[index];
        var step = endpointSteps.Select(s => m.Done.GetValueOrDefault((s, index))).FirstOrDefault(c => c?.Failure is not null);
        var failure = step?.Failure ?? new ProbeFailure(FailureKind.Cancelled, "no step reported on this endpoint");
        if (step?.Status == StepStatus.Inconclusive)
        {
            failure = failure with { Message = "inconclusive (throttled): " + failure.Message };
        }

        return new EndpointReport(e.Target, e.Address, e.Port, e.Transport, e.Priority, e.Weight, e.Source,
            ProbeStatus.Failed, failure, null, null, null, 0);
    }
}
