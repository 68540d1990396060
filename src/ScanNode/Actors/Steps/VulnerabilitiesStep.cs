using XmppScanCluster.ScanNode.Assessment;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.ScanNode.Actors.Steps;

/// <summary>
/// The vulnerability and behaviour probes (every registered <see cref="ScanNode.Probes.IVulnerabilityCheck"/>) with the recorded assessment as their pre-flight, and the weaknesses derived from its suites:
/// <see cref="EndpointAssessor.VulnerabilitiesAsync(EndpointConnections, EndpointReport, TlsAssessmentReport, AssessmentShares?, CancellationToken)"/>. Fact: <c>endpoint_vulnerabilities_observed</c>. Skipped
/// without an assessment to build on. With <paramref name="shares"/>, an endpoint of a verified TLS service takes the
/// results of the probes that reach that far from another endpoint of the service (issue 14; each reused result says whose).
/// </summary>
public sealed class VulnerabilitiesStep(EndpointAssessor assessor, AssessmentShares? shares = null) : IScanStep
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
        var vulnerabilities = await assessor.VulnerabilitiesAsync(connections, report, assessment, shares, ct).ConfigureAwait(false);
        return WireStepInput.IfThrottled(connections, StepName)
            ?? StepOutcome.Done(new EndpointVulnerabilitiesObserved(input.Mode, input.EndpointIndex!.Value, vulnerabilities));
    }
}
