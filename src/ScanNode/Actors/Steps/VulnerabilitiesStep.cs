using XmppScanCluster.ScanNode.Assessment;
using XmppScanCluster.Shared.Events;

namespace XmppScanCluster.ScanNode.Actors.Steps;

/// <summary>
/// The vulnerability and behaviour probes (every registered <see cref="ScanNode.Probes.IVulnerabilityCheck"/>) with the recorded assessment as their pre-flight, and the weaknesses derived from its suites:
/// <see cref="EndpointAssessor.VulnerabilitiesAsync"/>. Fact: <c>endpoint_vulnerabilities_observed</c>. Skipped
/// without an assessment to build on.
/// </summary>
public sealed class VulnerabilitiesStep(EndpointAssessor assessor) : IScanStep
{
    public const string StepName = "vulnerabilities";

    public string Name => StepName;

    public async Task<StepOutcome> RunAsync(StepInput input, CancellationToken ct)
    {
        var endpoint = WireStepInput.Endpoint(input, StepName);
        if (WireStepInput.Report(input) is not { Assessment: { } assessment } report)
        {
            return WireStepInput.Skipped;
        }

        var connections = WireStepInput.Open(assessor, endpoint, report);
        var vulnerabilities = await assessor.VulnerabilitiesAsync(connections, assessment, ct).ConfigureAwait(false);
        return WireStepInput.IfThrottled(connections, StepName)
            ?? StepOutcome.Done(new EndpointVulnerabilitiesObserved(input.Mode, input.EndpointIndex!.Value, vulnerabilities));
    }
}
