using XmppScanCluster.Shared.Dns;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Model;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.ScanNode.Actors.Steps;

/// <summary>
/// The discover step of <c>xmppscan scan --connect ADDRESS[:PORT]</c>: the operator named the server, so DNS is not
/// asked and the domain has this one endpoint (source <see cref="EndpointSource.Explicit"/>). Its DNS report is empty;
/// the scan reports no DNS section for it.
/// </summary>
public sealed class ExplicitEndpointStep(Func<string, XmppMode, XmppEndpoint> endpoint) : IScanStep
{
    public string Name => TargetStateMachine.DiscoverStep;

    public Task<StepOutcome> RunAsync(StepInput input, CancellationToken ct)
    {
        var named = endpoint(input.Domain, input.Mode);
        var dns = new DnsReport([], false, false, DnssecStatus.Unknown, []);
        return Task.FromResult(StepOutcome.Done(EndpointDiscovered.From(named), new DiscoveryCompleted(input.Domain, input.Mode, dns, 1)));
    }
}
