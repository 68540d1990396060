using XmppScanCluster.ScanNode.Dns;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.ScanNode.Actors.Steps;

/// <summary>
/// DNS discovery of one mode (RFC 6120 §3.2, XEP-0368): every endpoint as an <c>endpoint_discovered</c>
/// event in scan order, then <c>discovery_completed</c> with what DNS said. No endpoint (and no explicit
/// "service disabled") fails the step with the DNS problem. What the census planner of this process resolved within its
/// TTL (<paramref name="planned"/>) is used instead of asking DNS again.
/// </summary>
public sealed class DiscoverStep(EndpointDiscovery discovery, PlannedDiscovery? planned = null) : IScanStep
{
    public string Name => TargetStateMachine.DiscoverStep;

    public async Task<StepOutcome> RunAsync(StepInput input, CancellationToken ct)
    {
        var found = planned?.TryTake(input.Domain, input.Mode)
            ?? await discovery.DiscoverAsync(input.Domain, input.Mode, ct).ConfigureAwait(false);
        var dns = new DnsReport(found.SrvRecords, found.ServiceDisabled,
            found.Endpoints.Any(e => e.Source == EndpointSource.AddressFallback), found.SrvDnssec, found.Problems);
        var endpoints = found.ServiceDisabled ? [] : found.Endpoints;
        var facts = new List<IEventData>(endpoints.Count + 1);
        facts.AddRange(endpoints.Select(EndpointDiscovered.From));
        facts.Add(new DiscoveryCompleted(found.Domain, input.Mode, dns, endpoints.Count));
        if (endpoints.Count == 0 && !found.ServiceDisabled)
        {
            var failure = found.Problems.FirstOrDefault()
                ?? new ProbeFailure(FailureKind.DnsFailure, $"no {input.Mode.Name()} endpoint found for {input.Domain}");
            return new StepOutcome(StepStatus.Failed, failure, facts);
        }

        return new StepOutcome(StepStatus.Completed, null, facts);
    }
}
