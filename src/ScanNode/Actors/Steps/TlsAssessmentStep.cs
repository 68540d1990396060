using XmppScanCluster.ScanNode.Assessment;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.ScanNode.Actors.Steps;

/// <summary>
/// Protocols (SSLv2 … TLS 1.3), the suites each accepts in the server's order, key exchange groups and signature
/// algorithms: <see cref="EndpointAssessor.AssessAsync(EndpointConnections, CancellationToken)"/>, the same code as
/// <c>xmppscan scan</c>. Fact: <c>endpoint_tls_assessed</c>. Skipped when the session negotiated no TLS (as the
/// interactive scan does: nothing to enumerate).
/// </summary>
public sealed class TlsAssessmentStep(EndpointAssessor assessor) : IScanStep
{
    public const string StepName = "tls_assessment";

    public string Name => StepName;

    public async Task<StepOutcome> RunAsync(StepInput input, CancellationToken ct)
    {
        var endpoint = WireStepInput.Endpoint(input, StepName);
        if (WireStepInput.Report(input) is not { Tls.Protocol: not null } session)
        {
            return WireStepInput.Skipped;
        }

        var connections = WireStepInput.Open(assessor, endpoint, session);
        var assessment = await assessor.AssessAsync(connections, ct).ConfigureAwait(false);
        if (WireStepInput.IfThrottled(connections, StepName) is { } throttled)
        {
            return throttled;
        }

        var completed = assessment.Status == ProbeStatus.Completed;
        return new StepOutcome(completed ? StepStatus.Completed : StepStatus.Failed, completed ? null : assessment.Failure,
            [new EndpointTlsAssessed(input.Mode, input.EndpointIndex!.Value, assessment)]);
    }
}
