using XmppScanCluster.ScanNode.Assessment;
using XmppScanCluster.Shared.Events;
using XmppScanCluster.Shared.Results;

namespace XmppScanCluster.ScanNode.Actors.Steps;

/// <summary>
/// The client handshake simulation (one connection per recorded client hello):
/// <see cref="EndpointAssessor.ClientSimulationAsync(EndpointConnections, EndpointReport, TlsAssessmentReport, AssessmentShares?, CancellationToken)"/>. Fact: <c>endpoint_clients_simulated</c>. Skipped when the
/// assessment found no protocol version to simulate against, as <c>xmppscan scan</c> does. With <paramref name="shares"/>,
/// an endpoint of a verified TLS service takes the simulation of another endpoint of the service that offers the same
/// ALPN (issue 14; the report says whose).
/// </summary>
public sealed class ClientSimulationStep(EndpointAssessor assessor, AssessmentShares? shares = null) : IScanStep
{
    public const string StepName = "client_simulation";

    public string Name => StepName;

    public async Task<StepOutcome> RunAsync(StepInput input, CancellationToken ct)
    {
        var endpoint = WireStepInput.Endpoint(input, StepName);
        if (WireStepInput.Report(input) is not { Assessment: { } assessment } report || !EndpointAssessor.AnyVersion(assessment))
        {
            return WireStepInput.Skipped;
        }

        var connections = WireStepInput.Open(assessor, endpoint, report);
        var simulation = await assessor.ClientSimulationAsync(connections, report, assessment, shares, ct).ConfigureAwait(false);
        return WireStepInput.IfThrottled(connections, StepName)
            ?? StepOutcome.Done(new EndpointClientsSimulated(input.Mode, input.EndpointIndex!.Value, simulation));
    }
}
