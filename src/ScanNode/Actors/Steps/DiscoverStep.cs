using XmppScanCluster.ScanNode.Dns;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.ScanNode.Actors.Steps;

/// <summary>
/// DNS discovery of one mode (RFC 6120 §3.2, XEP-0368): every endpoint as an <c>endpoint_discovered</c>
/// event in scan order, then <c>discovery_completed</c> with what DNS said. No endpoint (and no explicit
/// "service disabled") fails the step with the DNS problem. What the census planner resolved, while its TTL lasts
/// (<paramref name="planned"/>: in this process's memory or in the census store), is used instead of asking DNS again.
/// </summary>
public sealed class DiscoverStep(EndpointDiscovery discovery, IPlannedDiscovery? planned = null) : IScanStep
{
    public string Name => TargetStateMachine.DiscoverStep;

    public async Task<StepOutcome> RunAsync(StepInput input, CancellationToken ct)
    {
        var found = (planned is null ? null : await planned.TryTakeAsync(input.Domain, input.Mode, ct).ConfigureAwait(false))
            ?? await discovery.DiscoverAsync(input.Domain, input.Mode, ct).ConfigureAwait(false);
        var dns = found.Report();
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
